"""bianmin (便民): the open platform for township one-stop government service centers."""

__version__ = "0.1.0"

"""The seed catalogue, one module per domain; ``build`` turns it into ``../catalogue.json``."""

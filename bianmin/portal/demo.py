"""Demo data of the portal app, loaded by bianmin.core.demo after the cases demo."""


def load_portal_demo(progress=None) -> int:
    return 0

"""Demo data of the feedback app, loaded by bianmin.core.demo after the cases demo."""


def load_feedback_demo(progress=None) -> int:
    return 0

def test_the_feedback_timers_run_in_the_one_scheduler_of_serve_and_worker():
    from bianmin.cases import scheduler
    from bianmin.feedback.timers import run_timers

    assert run_timers in scheduler.MORE_TIMERS

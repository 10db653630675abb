"""register_person: one person per identity number, no write when nothing changed, and one
person when two windows register the same new number at the same moment."""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from bianmin.identity import services
from bianmin.identity.models import Person

NUMBER = "341502194803151230"
MOBILE = "13905641234"


@pytest.mark.django_db
def test_registering_a_known_person_again_writes_nothing(django_assert_max_num_queries):
    first = services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)
    with django_assert_max_num_queries(1) as queries:  # the lookup by digest, nothing else
        again = services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)
    assert again.pk == first.pk
    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in queries.captured_queries)


@pytest.mark.django_db
def test_a_new_mobile_is_written_and_only_the_mobile():
    first = services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)
    again = services.register_person(name="王建国", id_number=NUMBER, mobile="18756410001")
    assert again.pk == first.pk and again.mobile_masked == "187****0001"
    stored = Person.objects.get(pk=first.pk)
    assert stored.id_number_sealed == first.id_number_sealed  # not re-sealed
    assert stored.mobile_digest == again.mobile_digest != first.mobile_digest


@pytest.mark.django_db
def test_a_registration_that_loses_the_race_uses_the_winners_row():
    """Between our lookup (nobody) and our insert, another window registered the number."""
    winner = services.register_person(name="王建国", id_number=NUMBER)
    real_filter = Person.objects.filter
    calls = {"n": 0}

    def stale_filter(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:  # our first lookup saw the table before the winner's commit
            return Person.objects.none()
        return real_filter(*args, **kwargs)

    with mock.patch.object(Person.objects, "filter", side_effect=stale_filter):
        with transaction.atomic():  # inside a caller's transaction, as in intake
            person = services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)
            assert Person.objects.count() == 1  # the caller's transaction is still usable
    assert person.pk == winner.pk and Person.objects.count() == 1
    assert Person.objects.get(pk=winner.pk).mobile_masked == "139****1234"


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_of_one_number_give_one_person():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the overlap this test needs cannot happen")
    threads_n = 6
    start = threading.Barrier(threads_n)
    got: list[int] = []
    errors: list[BaseException] = []

    def work():
        try:
            start.wait()
            with transaction.atomic():
                person = services.register_person(name="王建国", id_number=NUMBER, mobile=MOBILE)
                time.sleep(0.3)  # hold the new row uncommitted: the others' inserts must wait
            got.append(person.pk)
        except BaseException as e:  # reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Person.objects.count() == 1 and set(got) == {Person.objects.get().pk}

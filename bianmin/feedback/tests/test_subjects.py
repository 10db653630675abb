"""The staff ratings page names what a finished visit was for."""

from bianmin.catalog.models import LifeEvent
from bianmin.feedback.selectors import ticket_subject
from bianmin.queueing.models import Ticket


def test_a_life_event_visit_is_named_by_its_life_event(db):
    event = LifeEvent.objects.create(name="新生儿出生")
    ticket = Ticket(purpose=Ticket.Purpose.LIFE_EVENT, life_event=event)
    assert ticket_subject(ticket).endswith("：新生儿出生")


def test_a_visit_without_item_or_life_event_is_named_by_its_purpose(db):
    ticket = Ticket(purpose=Ticket.Purpose.LIFE_EVENT)
    assert ticket_subject(ticket) == str(ticket.get_purpose_display())


def test_the_figures_page_asks_dates_as_yyyy_mm_dd_and_charts_on_a_linear_scale(client, staff):
    from django.contrib.staticfiles import finders

    client.force_login(staff["manager"])
    html = client.get("/feedback/figures/?start=2026-01-01&end=2026-01-31").content.decode()
    assert html.count('placeholder="YYYY-MM-DD"') == 2 and 'type="date"' not in html
    assert 'value="2026-01-01"' in html
    script = open(finders.find("feedback/figures.js"), encoding="utf-8").read()
    assert '"log"' not in script and 'position: "right"' in script


def test_the_figures_page_keeps_on_time_among_closed_apart_from_open_overdue(client, staff):
    client.force_login(staff["manager"])
    html = client.get("/feedback/figures/").content.decode()
    assert "已办结 0 件中按期办结 0 件" in html and "其中已超期 0 件" in html

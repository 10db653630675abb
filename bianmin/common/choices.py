"""``get_FOO_display()`` without translating every choice on every call.

Django's ``Model._get_FIELD_display`` builds a dict of the field's whole choice list each time it
is called; with lazily translated labels (``gettext_lazy``, as every choice in bianmin is) that
translates every label of the list to show one. A case list of 50 rows spent 20 ms of its 38 ms
there (cProfile; docs/benchmarks.md). ``cached_display`` keeps, per field and language, the
labels once translated. Fields whose choices are a callable (evaluated anew each time) keep
Django's own behaviour.

Installed by ``bianmin.core.apps.CoreConfig.ready`` (``install()``); a test compares it with
Django's for every field with choices of every model.
"""

from __future__ import annotations

from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_DJANGO_DISPLAY = Model._get_FIELD_display
_LABELS: dict[tuple, dict] = {}


def cached_display(self: Model, field) -> object:
    """What Django's ``_get_FIELD_display`` answers, from labels translated once per language."""
    if isinstance(field.choices, CallableChoiceIterator):
        return _DJANGO_DISPLAY(self, field)
    key = (field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {
            make_hashable(value): force_str(label, strings_only=True)
            for value, label in field.flatchoices
        }
    value = getattr(self, field.attname)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


def install() -> None:
    Model._get_FIELD_display = cached_display


def django_display(obj: Model, field) -> object:
    """Django's own answer (for the test that compares the two)."""
    return _DJANGO_DISPLAY(obj, field)

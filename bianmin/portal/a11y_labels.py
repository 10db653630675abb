"""Labels of the reading aids in the site's base template, translated in the portal's catalogue
(the portal owns the 适老化 toggles)."""

from django.utils.translation import gettext_noop

LABELS = [gettext_noop("Reading aids"), gettext_noop("Large text"), gettext_noop("High contrast")]

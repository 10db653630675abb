"""Hand-written SQL for the hot paths, with model instances in and out.

Intake, the session with its user and the case's events are written once per process as SQL:
the ORM spent longer compiling such statements than the database spent running them. These
helpers write a model's column list, turn its span of a raw row back into an instance (converted
exactly as the ORM converts it: SQLite returns dates as text and booleans as integers), insert
instances in one statement, and give a cursor whose statements PostgreSQL keeps prepared.

**Prepared statements.** Django's PostgreSQL cursors bind parameters on the client, so PostgreSQL
parses and plans every statement anew: 0.2–0.5 ms for a join of five tables or an insert of fifty
columns, more than running it. ``cursor()`` binds on the server instead (psycopg's ``Cursor``),
and has PostgreSQL prepare the statement: from then on PostgreSQL only executes it. Only the fixed statements of this module's
callers go through it, prepared on their first run on a connection (a connection of the pool
keeps them); the ORM's own statements keep Django's cursor. On SQLite it is Django's
cursor (SQLite caches its prepared statements itself).
"""

from __future__ import annotations

import json

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

_CONVERTERS: dict = {}
_INSERT_SQL: dict[tuple, str] = {}


_PREPARED = None
_CONVERSION_CACHE_RAISED = False


def _raise_conversion_cache() -> None:
    """psycopg caches the conversion of a statement's ``%s`` placeholders only for statements
    under 4 KB with at most 50 parameters; the case's insert (50-odd columns) and the intake
    query are above, and psycopg re-parsed them on every run (~6 % of a creation's CPU). These
    module limits are read at each call (psycopg 3.2, ``psycopg._queries``); the statements
    raised above them here are the fixed ones of this module's callers, a bounded set."""
    global _CONVERSION_CACHE_RAISED
    if not _CONVERSION_CACHE_RAISED:
        from psycopg import _queries

        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 16384)
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 200)
        _CONVERSION_CACHE_RAISED = True


def _prepared_cursor_class():
    """psycopg's server-side-binding ``Cursor``, preparing every statement it runs (Django turns
    psycopg's automatic preparation off for its own cursors: ``prepare_threshold=None``)."""
    global _PREPARED
    if _PREPARED is None:
        import psycopg

        class PreparedCursor(psycopg.Cursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=True, binary=binary)

        _PREPARED = PreparedCursor
    return _PREPARED


def cursor():
    """A cursor for a fixed statement: prepared by PostgreSQL after a few runs (see above)."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each `connection.x` is a thread-local lookup
    if db.vendor != "postgresql":
        return db.cursor()
    _raise_conversion_cache()
    db.ensure_connection()
    db.validate_thread_sharing()
    conn = db.connection
    if conn.prepare_threshold is None:
        # Django opens connections with psycopg's preparation off; a threshold nobody reaches
        # turns it on for the statements prepared explicitly here, and for no other.
        conn.prepare_threshold = 2**30
    raw = _prepared_cursor_class()(conn)
    if db.queries_logged:  # (tests, DEBUG) recorded as written, with its parameters
        return _DebugCursor(raw, db)
    return db.make_cursor(raw)


class _DebugCursor(CursorDebugWrapper):
    # Django asks psycopg for the last query's text, which a server-bound cursor does not keep.
    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


def columns(model: type[Model], alias: str) -> str:
    """``alias."col1", alias."col2", …`` for every concrete field of ``model``, in order."""
    q = connection.ops.quote_name
    return ", ".join(f"{alias}.{q(f.column)}" for f in model._meta.concrete_fields)


def spans(*models: type[Model], start: int = 0) -> list[tuple[type[Model], int, int]]:
    """Where each model's columns sit in a row that selects ``columns()`` of each in turn."""
    out, at = [], start
    for model in models:
        n = len(model._meta.concrete_fields)
        out.append((model, at, at + n))
        at += n
    return out


def from_row(span: tuple[type[Model], int, int], row, db: str | None = None) -> Model:
    """A model instance from its span of ``row`` (see ``spans``), as if the ORM had loaded it:
    each value converted as the ORM converts it, and the instance built as ``Model.from_db``
    builds it — without ``__init__``'s per-field loop (about 5 % of a queue request's CPU),
    unless a ``pre_init``/``post_init`` receiver listens for the model."""
    model, a, b = span
    conn = connections[DEFAULT_DB_ALIAS]
    key = (model, conn.vendor)
    plan = _CONVERTERS.get(key)
    if plan is None:
        fields = model._meta.concrete_fields
        converting = []
        for k, f in enumerate(fields):
            expression = f.get_col(model._meta.db_table)
            funcs = conn.ops.get_db_converters(expression) + f.get_db_converters(conn)
            if funcs:
                converting.append((k, funcs, expression))
        listened = pre_init.has_listeners(model) or post_init.has_listeners(model)
        plan = _CONVERTERS[key] = ([f.attname for f in fields], converting, listened)
    names, converting, listened = plan
    values = list(row[a:b])
    for k, funcs, expression in converting:
        for func in funcs:
            values[k] = func(values[k], expression, conn)
    db = db or conn.alias
    if listened:
        return model.from_db(db, names, values)
    obj = _on_file(model, db)
    obj.__dict__.update(zip(names, values, strict=True))
    return obj


def _on_file(model: type[Model], db: str) -> Model:
    """An empty instance of a row on file, as ``Model.from_db`` leaves it before its fields."""
    obj = model.__new__(model)
    obj._state = ModelState()
    obj._state.adding, obj._state.db = False, db
    return obj


_NEW_PLANS: dict[type, tuple | None] = {}


def _new_plan(model: type[Model]) -> tuple | None:
    """What ``Model.__init__`` does for ``model`` field by field, worked out once: the constant
    defaults, the fields whose default is computed at each call, and the foreign keys. None if
    ``model`` has something the plan does not cover (a field set through its own descriptor, a
    database router), and ``new`` then calls the constructor."""
    from django.conf import settings
    from django.db.models.fields.related_descriptors import (
        ForeignKeyDeferredAttribute,
        ForwardManyToOneDescriptor,
        ForwardOneToOneDescriptor,
    )
    from django.db.models.query_utils import DeferredAttribute

    if getattr(settings, "DATABASE_ROUTERS", None):
        return None
    constant: dict = {}
    computed: list = []
    relations: dict = {}
    names: set = set()
    for f in model._meta.fields:
        if f.column is None or f.generated:
            continue
        if type(model.__dict__.get(f.attname)) not in (
            DeferredAttribute,
            ForeignKeyDeferredAttribute,
        ):
            return None  # set through a descriptor of its own (a file, a custom field)
        if f.is_relation:
            kind = type(model.__dict__.get(f.name))
            if kind not in (ForwardManyToOneDescriptor, ForwardOneToOneDescriptor) or (
                f.primary_key and f.remote_field.parent_link
            ):
                return None  # a generic relation, a parent link …
            target = f.target_field.attname
            one_to_one = not f.remote_field.multiple
            related = f.remote_field.model._meta.concrete_model
            relations[f.name] = (f, f.attname, target, related, one_to_one)
        if (f.has_default() and callable(f.default)) or f.db_default is not models.NOT_PROVIDED:
            computed.append(f)
        else:
            constant[f.attname] = f.get_default()
        names.add(f.attname)
    return constant, computed, relations, names


def new(model: type[Model], **values) -> Model:
    """``model(**values)``: a new, unsaved instance, built as the constructor builds it (each
    field's default, foreign keys given as objects cached as the descriptor caches them) less
    its per-field calls — a case has 67 fields, and four constructors were a tenth of a case's
    creation. Plain values are taken by attribute name (``center_id``) or, for a foreign key, by
    field name with an instance or None. Anything else (a property, an unknown name) and models
    with ``pre_init``/``post_init`` receivers go to the constructor; a test compares the two."""
    plan = _NEW_PLANS.get(model, False)
    if plan is False:
        plan = _NEW_PLANS[model] = _new_plan(model)
    if plan is None or pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(**values)
    constant, computed, relations, names = plan
    for name in values:
        if name not in names and name not in relations:
            return model(**values)
    obj = model.__new__(model)
    state = obj._state = ModelState()
    d = obj.__dict__
    d.update(constant)
    for f in computed:
        d[f.attname] = f.get_default()
    for name, value in values.items():
        relation = relations.get(name)
        if relation is None:
            d[name] = value
            continue
        field, attname, target, related_model, one_to_one = relation
        if value is None:
            d[attname] = None
        elif not isinstance(value, related_model):
            setattr(obj, name, value)  # the descriptor's own refusal
            continue
        else:
            # ForwardManyToOneDescriptor.__set__ without routers: both on one database
            if state.db is None:
                state.db = value._state.db or DEFAULT_DB_ALIAS
            if value._state.db is None:
                value._state.db = state.db
            elif value._state.db != state.db:
                setattr(obj, name, value)  # the descriptor's own refusal
                continue
            d[attname] = getattr(value, target)
            if one_to_one:  # the related object knows this one, as the descriptor tells it
                field.remote_field.set_cached_value(value, obj)
        state.fields_cache[name] = value
    return obj


def reference(model: type[Model], pk, **related: Model) -> Model:
    """An instance standing for the row ``pk`` (with the related objects given, by field name),
    as the ORM's deferred loading has it: any other field is read from the database if asked
    for. The API's "the ticket with this id at this center", which the services then re-read
    under a lock; built without ``Model.__init__`` (its loop over forty fields), unless a
    ``pre_init``/``post_init`` receiver listens for the model."""
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model(pk=pk, **related)
    obj = _on_file(model, DEFAULT_DB_ALIAS)
    obj.__dict__[model._meta.pk.attname] = pk
    for name, value in related.items():
        obj.__dict__[model._meta.get_field(name).attname] = value.pk
        obj._state.fields_cache[name] = value
    return obj


def first(model: type[Model], column: str, value) -> Model | None:
    """The first row of ``model`` whose ``column`` equals ``value`` (a unique column), or None."""
    return find(model, {column: value})


def find(
    model: type[Model], where: dict, *, for_update: bool = False, order_by: str = ""
) -> Model | None:
    """The first row of ``model`` whose columns equal ``where``'s values (``{column: value}``;
    a None value means ``IS NULL``), optionally ordered by one column and locked (``FOR UPDATE``
    on PostgreSQL; SQLite's write transaction holds the lock already). What
    ``Model.objects.filter(**where).order_by(col).select_for_update().first()`` writes, written
    once per process and shape, prepared."""
    names = tuple(sorted(where))
    nulls = tuple(n for n in names if where[n] is None)
    key = ("find", model, names, nulls, for_update, order_by, connection.vendor)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        q = connection.ops.quote_name
        conditions = " AND ".join(
            f"t.{q(n)} IS NULL" if n in nulls else f"t.{q(n)} = %s" for n in names
        )
        sql = f"SELECT {columns(model, 't')} FROM {q(model._meta.db_table)} t WHERE {conditions}"
        if order_by:
            sql += f" ORDER BY t.{q(order_by)}"
        sql += " LIMIT 1"
        if for_update and connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        _INSERT_SQL[key] = sql
    params = [_db_value(model, n, where[n]) for n in names if where[n] is not None]
    with cursor() as c:
        c.execute(sql, params)
        row = c.fetchone()
    return None if row is None else from_row(spans(model)[0], row)


def scalar(sql: str, params: list | tuple = ()):
    """The first column of the first row of a fixed statement (None if no row), prepared."""
    with cursor() as c:
        c.execute(sql, params)
        row = c.fetchone()
    return None if row is None else row[0]


_COLUMN_FIELDS: dict[tuple, object] = {}


def _db_value(model: type[Model], column: str, value):
    """``value`` as the database takes it for ``model``'s ``column`` (dates and datetimes
    adapted as the ORM adapts them; ints and strings as they are)."""
    if value is None or type(value) in (int, str, bool):
        return value
    key = (model, column)
    field = _COLUMN_FIELDS.get(key)
    if field is None:
        field = _COLUMN_FIELDS[key] = next(
            f for f in model._meta.concrete_fields if f.column == column
        )
    return field.get_db_prep_value(value, connection, prepared=False)


def update(obj: Model, fields: list[str] | tuple[str, ...], *, only_if: dict | None = None) -> int:
    """``UPDATE table SET f1 = %s, … WHERE id = %s [AND col = %s …]`` of ``obj``'s current values
    of ``fields`` (attribute names: ``window`` or ``window_id``), written once per process and
    shape, prepared; ``only_if`` adds conditions on the row as stored (``{column: value}``, e.g.
    ``{"status": "waiting"}``). Returns the number of rows changed (0 or 1). What
    ``save(update_fields=…)`` or ``filter(pk=…, **only_if).update(…)`` writes, less the
    compilation."""
    model = type(obj)
    meta = model._meta
    chosen = [meta.get_field(name) for name in fields]
    conditions = tuple(sorted(only_if or {}))
    key = ("update", model, tuple(f.attname for f in chosen), conditions, connection.vendor)
    sql = _INSERT_SQL.get(key)
    if sql is None:
        q = connection.ops.quote_name
        sql = (
            f"UPDATE {q(meta.db_table)} SET "
            + ", ".join(f"{q(f.column)} = %s" for f in chosen)
            + f" WHERE {q(meta.pk.column)} = %s"
            + "".join(f" AND {q(c)} = %s" for c in conditions)
        )
        _INSERT_SQL[key] = sql
    plain = _plain_fields(model, chosen)
    params = []
    for f, kind in zip(chosen, plain, strict=True):
        params.append(_param(obj, f, kind, add=False))
    params.append(obj.pk)
    params += [_db_value(model, c, only_if[c]) for c in conditions]
    with cursor() as c:
        c.execute(sql, params)
        return c.rowcount


_PLAIN: dict[tuple, list] = {}


class _Json:
    """The kind of a JSON column on PostgreSQL: a dict or list goes as its JSON text (what
    Django's ``Jsonb`` wrapper would have psycopg write, less the wrapper and psycopg's Python
    dumper; the prepared statement's parameter takes the column's type)."""

    @staticmethod
    def text(field, value):
        return json.dumps(value, cls=field.encoder)


def _param(obj: Model, f, kind, *, add: bool):
    """One field's value as the statement takes it: as it is where ``kind`` allows (see
    ``_plain_fields``), as JSON text, or prepared by Django."""
    if kind is not None:
        value = getattr(obj, f.attname)
        if kind is _Json:
            if type(value) in (dict, list):
                return _Json.text(f, value)
        elif value is None or type(value) is kind:
            return value  # what get_db_prep_save would have sent, as is
    return f.get_db_prep_save(f.pre_save(obj, add=add), connection)


def _plain_fields(model: type[Model], fields) -> list:
    """Per field, the one Python type whose values PostgreSQL takes as they are (``str`` for a
    text column, ``int``, ``bool``, a foreign key's id), ``_Json`` for a JSON column (a dict or
    list goes as its text), or None: Django's per-field preparation (``pre_save`` +
    ``get_db_prep_save``, five calls a field) was a tenth of a case creation. A value of any
    other type (an enum member, a lazy string, None in a JSON column …) still goes through
    Django."""
    key = (model, tuple(f.attname for f in fields), connection.vendor)
    if key not in _PLAIN:
        kinds = []
        for f in fields:
            kind = None
            if connection.vendor == "postgresql":
                if isinstance(f, models.BooleanField):
                    kind = bool
                elif isinstance(f, models.CharField | models.TextField):
                    kind = str
                elif isinstance(f, models.JSONField):
                    kind = _Json
                elif isinstance(f, models.IntegerField) or (
                    isinstance(f, models.ForeignKey)
                    and isinstance(f.target_field, models.AutoField | models.BigAutoField)
                ):
                    kind = int
            kinds.append(kind)
        _PLAIN[key] = kinds
    return _PLAIN[key]


def insert(
    objs: list[Model],
    *,
    unless_conflict_on: str = "",
    returning: bool = True,
    also: tuple[str, list] | None = None,
) -> list:
    """``INSERT … [ON CONFLICT (col) DO NOTHING] [RETURNING id]`` of new objects of one model in
    one statement written once per process and row count. With ``returning`` each inserted
    object gets its pk; returns the objects inserted (with ``unless_conflict_on``, those not
    already on file — RETURNING gives only the rows written). PostgreSQL, SQLite ≥ 3.35.

    ``also``: one more expression for RETURNING and its parameters, run in the same statement
    (the queue's ``pg_notify`` of the event it inserts: one round trip instead of two; its
    expression may name the new row's columns). One row only."""
    if not objs:
        return []
    if also is not None and (len(objs) != 1 or not returning):
        raise ValueError("insert: `also` goes with one row and RETURNING")
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    key = (model, len(objs), unless_conflict_on, returning, connection.vendor, also and also[0])
    sql = _INSERT_SQL.get(key)
    if sql is None:
        q = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = (
            f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
            f"VALUES {', '.join([row] * len(objs))}"
        )
        if unless_conflict_on:
            sql += f" ON CONFLICT ({q(unless_conflict_on)}) DO NOTHING"
        if returning:
            sql += f" RETURNING {q(model._meta.pk.column)}"
        if also is not None:
            sql += f", {also[0]}"
        _INSERT_SQL[key] = sql
    plain = _plain_fields(model, fields)
    params = []
    for obj in objs:
        for f, kind in zip(fields, plain, strict=True):
            params.append(_param(obj, f, kind, add=True))
    if also is not None:
        params.extend(also[1])
    with cursor() as c:
        c.execute(sql, params)
        ids = [r[0] for r in c.fetchall()] if returning else None
    if not returning:
        return objs
    if unless_conflict_on and len(ids) != len(objs):
        if len(objs) != 1:
            raise ValueError("insert: conflicts are told apart for one row at a time")
        return []
    for obj, pk in zip(objs, ids, strict=True):  # RETURNING keeps the VALUES' order
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


_MAX_PARAMS = 30000  # under SQLite's 32,766 host parameters and PostgreSQL's 65,535


def insert_many(
    model: type[Model],
    columns: list[str],
    values,
    *,
    returning: bool = True,
    per_statement: int | None = None,
) -> list:
    """Many new rows of one model, given as tuples in the order of ``columns`` (attribute names:
    ``center_id``, not ``center``), without building a model instance per row. Columns not named
    get their field's default. Returns the new ids in the rows' order, or ``[]``.

    For history data (a year of ratings in the demo): Django's ``bulk_create`` spends most of its
    time making instances and preparing every value of every field; here only dates and times
    and JSON are prepared, the rest goes as it is. PostgreSQL gets one array per column
    (``INSERT … SELECT … FROM unnest(…)``: a statement of a few parameters, where psycopg would
    spend longer parsing thirty thousand placeholders than PostgreSQL spends inserting), SQLite
    multi-row ``VALUES``. ``RETURNING`` keeps the rows' order on both."""
    meta = model._meta
    named = [meta.get_field(c) for c in columns]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in columns]
    ops = connection.ops
    q = ops.quote_name

    def default(f):
        if isinstance(f, models.JSONField):
            return _Json.text(f, f.get_default())
        return f.get_db_prep_save(f.get_default(), connection)

    def prepare(f):
        if isinstance(f, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(f, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(f, models.JSONField):
            return lambda v, f=f: _Json.text(f, v)
        return None

    preparers = [(i, p) for i, p in enumerate(prepare(f) for f in named) if p is not None]
    defaults = [default(f) for f in rest]
    head = f"INSERT INTO {q(meta.db_table)} ({', '.join(q(f.column) for f in named + rest)}) "
    tail = f" RETURNING {q(meta.pk.column)}" if returning else ""
    postgres = connection.vendor == "postgresql"
    if postgres:
        per_statement = per_statement or 10000
        sql = (
            head
            + "SELECT u.*"
            + "".join(f", %s::{f.db_type(connection)}" for f in rest)
            + " FROM unnest("
            + ", ".join(f"%s::{f.db_type(connection)}[]" for f in named)
            + ") AS u"
            + tail
        )
    else:
        per_statement = per_statement or max(1, _MAX_PARAMS // (len(named) + len(rest)))
        row_sql = "(" + ", ".join(["%s"] * (len(named) + len(rest))) + ")"
    ids: list = []
    batch: list = []

    def flush():
        if not batch:
            return
        if postgres:
            params = defaults + [list(column) for column in zip(*batch, strict=True)]
            statement = sql
        else:
            params = [v for row in batch for v in (*row, *defaults)]
            statement = head + "VALUES " + ", ".join([row_sql] * len(batch)) + tail
        with connection.cursor() as c:
            c.execute(statement, params)
            if returning:
                ids.extend(r[0] for r in c.fetchall())
        batch.clear()

    for row in values:
        if preparers:
            row = list(row)
            for i, p in preparers:
                if row[i] is not None:
                    row[i] = p(row[i])
        batch.append(row)
        if len(batch) >= per_statement:
            flush()
    flush()
    return ids

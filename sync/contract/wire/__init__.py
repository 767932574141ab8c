"""The city server's API messages, defined once, typed, and usable without pydantic.

Every answer the server sends to the app (and the request bodies the app sends) is a frozen
``msgspec.Struct`` here: the client decodes answers into these types, the core reads their
attributes, and ``tests/sync/test_wire_contract.py`` fails when the server's pydantic models
(``sync/server/schemas/``) and these types drift apart.  Modules by feature: ``account``
(sign-in, set-up codes, health), ``reports`` (pushing versions, photos), ``feed`` (the change
feed), ``review`` (decisions, history, reports), ``township`` (the township report, completeness),
``duty`` (A/B roster, absences, handovers, event openings, deadlines) and ``divisions``.
``base`` holds ``Wire`` (frozen, keyword-only, unknown fields ignored so a newer server may
add fields), ``Time`` (a time with a zone) and ``as_object`` (a message as its JSON object,
for what still takes JSON: request bodies, the answer cache, the store's upserts).
"""

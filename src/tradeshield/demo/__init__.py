"""The synthetic marketplace behind ``tradeshield demo``: seeded, bulk-loaded, labelled.

``service.generate`` is the entry point. ``plan`` draws the marketplace stage by stage
(``catalogue``, ``population``, then per chunk ``ordering``, ``parcels``, ``claims``,
``casework``, ``return_parcels``, ``reviewing``); ``bulk`` writes the rows; the ground
truth of the abuse mixed in goes only to ``demo_labels`` (``labelling``). Vocabulary and
distributions live in ``data/*.toml``.
"""

"""An evidence package for a dispute or a courier claim: one zip with the records as JSON,
their files, the chain links that prove the records were not changed after recording, and
a human-readable HTML summary. Pure: the caller gathers the parts.

Anyone can check a package without TradeShield: hash each record's canonical JSON (sorted
keys, no spaces, UTF-8) to get its ``record_sha256``, and recompute each link's
``entry_hash`` as SHA-256 of ``seq|record_type|record_id|record_sha256|prev_hash``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from jinja2 import Environment, select_autoescape

from tradeshield.returns.chain import Link, canonical_json

_SUMMARY = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head><body>
<h1>{{ title }}</h1>
<p>Tenant chain head: <code>{{ head }}</code> ({{ links }} links)</p>
{% for line in summary %}<p>{{ line.en }}<br>{{ line.zh }}</p>{% endfor %}
<h2>Records</h2>
{% for name, record in records.items() %}
<h3>{{ name }}</h3><table>
{% for key, value in record.items() %}<tr><th>{{ key }}</th><td>{{ value }}</td></tr>{% endfor %}
</table>{% endfor %}
<h2>Chain links</h2><table><tr><th>seq</th><th>record</th><th>record_sha256</th>
<th>entry_hash</th></tr>
{% for link in proof %}<tr><td>{{ link.seq }}</td><td>{{ link.record_type }}
{{ link.record_id }}</td><td><code>{{ link.record_sha256 }}</code></td>
<td><code>{{ link.entry_hash }}</code></td></tr>{% endfor %}</table>
<h2>Files</h2><ul>{% for name in files %}<li><code>{{ name }}</code></li>{% endfor %}</ul>
</body></html>
"""
_ENV = Environment(autoescape=select_autoescape(default=True))


def build_package(
    title: str,
    records: Mapping[str, dict[str, Any]],
    files: Mapping[str, bytes],
    proof: Sequence[Link],
    head: Link | None,
    summary: Sequence[Mapping[str, str]],
) -> bytes:
    """The zip's bytes; entries are written in a fixed order with a fixed timestamp, so the
    same parts always give the same bytes (and the same SHA-256)."""
    chain_proof = {
        "head": None if head is None else asdict(head),
        "links": [asdict(link) for link in proof],
    }
    html = _ENV.from_string(_SUMMARY).render(
        title=title,
        head=head.entry_hash if head else "",
        links=head.seq if head else 0,
        summary=summary,
        records=records,
        proof=proof,
        files=sorted(files),
    )
    parts: list[tuple[str, bytes]] = [
        (
            "records.json",
            json.dumps(records, sort_keys=True, indent=2, ensure_ascii=False).encode(),
        ),
        ("chain_proof.json", canonical_json(chain_proof)),
        ("summary.html", html.encode()),
    ]
    parts += [(f"files/{sha}", data) for sha, data in sorted(files.items())]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()

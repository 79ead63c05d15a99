"""Synthetic case volume for the benchmarks (`manage.py generate_cases_load`).

What it writes, straight into the case tables (benchmark data, not history: no audit rows, no outbox
events, no documents, no files):
- `historical` closed cases spread over the three years before the last 40 days: mostly delivered,
  some rejected, withdrawn or terminated, ~4 % decided after the promised day; each with its two
  review/decide steps (done) and a minimal timeline (received, accepted, closing entry);
- `open` cases received in the last 30 working days before today, in every open state: waiting at
  the window (some past the 5-day acceptance limit), supplement, under review (one active step; a
  few percent overdue, more near their due day), suspended, decided, completed — with their
  materials, steps and a full timeline;
- the numbering counters of every (item, day) used, so numbers handed out later by
  core.numbering continue after the generated ones.

Distribution: the demo catalogue's effective items, weighted Zipf-like (a few items take most of
the volume, as in a real hall); department, line and region follow the item; channel 50 % online,
42 % window, 8 % mobile; 1 % green channel. Applicants are synthetic people and companies with valid
ID numbers / USCCs and no account (applicant_user empty), except a handful of cases per demo
applicant so their "my cases" pages have history.

Speed: rows are generated in Python and streamed with PostgreSQL COPY (psycopg 3) in batches; on
SQLite they go through executemany. Primary keys are assigned here (from the current maximum) and
the sequences reset at the end, so children reference their case without a round trip.
"""

from .days import SHANGHAI, at, limit_due, plus_workdays, workdays_back
from .generator import HISTORY_YEARS, OPEN_WORKDAYS, Generator, generate
from .plan import ItemSpec, MaterialSpec, StepSpec, load_items
from .rows import LOAD_NOTE, NUMBER_KEY, CaseRows, Report
from .writer import TableWriter, reset_sequences

__all__ = [
    "HISTORY_YEARS",
    "LOAD_NOTE",
    "NUMBER_KEY",
    "OPEN_WORKDAYS",
    "SHANGHAI",
    "CaseRows",
    "Generator",
    "ItemSpec",
    "MaterialSpec",
    "Report",
    "StepSpec",
    "TableWriter",
    "at",
    "generate",
    "limit_due",
    "load_items",
    "plus_workdays",
    "reset_sequences",
    "workdays_back",
]

"""Executable models beside the concepts they explain: queueing and capacity, availability, simulation.

Takes numbers (rates, times, counts), gives figures; imports nothing else of
kgtools, so pages, commands and tests can all use it.
"""

from pathlib import Path

# Models name their code as `kgtools/models/...`: paths from the directory that holds the kgtools package.
CODE_ROOT = Path(__file__).resolve().parents[2]

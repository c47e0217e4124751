"""Executable models beside the concepts they explain: queueing and capacity, availability, simulation.

Takes numbers (rates, times, counts), gives figures; imports nothing else of
kgtools, so pages, commands and tests can all use it.
"""

"""Seeded generator of realistic raw inputs: EBB extract, vacancies, registers, population."""

from kraptemeter.sample.generator import write_sample

__all__ = ["write_sample"]

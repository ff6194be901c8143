"""A synthetic, reproducible data set for trying and benchmarking the platform."""

from xinyong.demo.generator import generate

__all__ = ["generate"]

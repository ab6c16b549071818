"""The data files of the guard's learned linear models (the name tagger, the
public-document gate): one float16 weight per hash bucket and an intercept, in a
compressed ``.npz`` with the format version and hash size it was written for, so a file
written for another feature layout is refused rather than read wrong."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt


def save_weights(
    path: Any,
    weights: npt.NDArray[Any],
    intercept: float,
    meta: str,
    *,
    version: int,
    hash_bits: int,
) -> None:
    """Write the data file (float16 weights, compressed)."""
    np.savez_compressed(
        path,
        weights=np.asarray(weights, dtype=np.float16),
        intercept=np.asarray([intercept], dtype=np.float64),
        version=np.asarray([version, hash_bits], dtype=np.int64),
        meta=np.asarray(meta),
    )


def read_weights(
    source: Any, *, version: int, hash_bits: int, what: str
) -> tuple[npt.NDArray[np.float32], float]:
    """The weights and intercept of a file written by ``save_weights``; ValueError when
    it was written for another version or hash size (``what`` names the model)."""
    with np.load(source, allow_pickle=False) as data:
        found = [int(v) for v in data["version"]]
        if found != [version, hash_bits]:
            raise ValueError(f"{what} data file version {found} is not {version}")
        weights = data["weights"].astype(np.float32)
        intercept = float(data["intercept"][0])
    if weights.shape != (1 << hash_bits,):
        raise ValueError(f"{what} weights have the wrong size")
    return weights, intercept

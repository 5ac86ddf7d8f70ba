"""Cosine similarity with numpy: the one helper every comparison of vectors uses."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors; 0.0 when either is all zeros."""
    left, right = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if left.shape != right.shape:
        raise ValueError(f"vectors differ in length: {left.shape[0]} and {right.shape[0]}")
    norm = float(np.linalg.norm(left) * np.linalg.norm(right))
    return float(left @ right) / norm if norm else 0.0


def cosine_rows(vector: Sequence[float], matrix: np.ndarray) -> np.ndarray:
    """cosine(vector, row) for every row of a matrix; 0.0 where either is all zeros."""
    query = np.asarray(vector, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[1] != query.shape[0]:
        raise ValueError(f"vectors differ in length: {query.shape[0]} and {matrix.shape[-1]}")
    norms = np.linalg.norm(matrix, axis=1) * np.linalg.norm(query)
    dots = matrix @ query
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)


def cosine_matrix(
    rows: Sequence[Sequence[float]], columns: Sequence[Sequence[float]]
) -> list[list[float]]:
    """cosine(rows[i], columns[j]) for every pair, as nested lists."""
    if not len(rows) or not len(columns):
        return [[] for _ in rows]
    left = np.asarray(rows, dtype=np.float64)
    right = np.asarray(columns, dtype=np.float64)
    left_norm = np.linalg.norm(left, axis=1, keepdims=True)
    right_norm = np.linalg.norm(right, axis=1, keepdims=True)
    left = np.divide(left, left_norm, out=np.zeros_like(left), where=left_norm > 0)
    right = np.divide(right, right_norm, out=np.zeros_like(right), where=right_norm > 0)
    return (left @ right.T).tolist()  # type: ignore[no-any-return]

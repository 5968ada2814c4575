"""The forecasts a recurrent model must beat: persistence, the seasonal naive forecast and a least-squares
autoregression AR(p), each computed from values before the forecast only."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def persistence(values: Sequence[float], i: int) -> float:
    """Tomorrow as today: y_hat<i> = y<i-1>."""
    return float(values[i - 1])


def seasonal_naive(values: Sequence[float], i: int, period: int) -> float:
    """The same point one season earlier: y_hat<i> = y<i-period>."""
    return float(values[i - period])


class AutoRegression:
    """y_hat<i> = c + sum_k phi_k y<i-k>, k = 1..p, least squares on the training period."""

    def __init__(self, p: int):
        self.p = p
        self.coef: np.ndarray | None = None  # (p + 1,): c, phi_1..phi_p

    def fit(self, values: Sequence[float], targets: Sequence[int]) -> AutoRegression:
        v = np.asarray(values, dtype=np.float64)
        rows = np.array([[1.0, *v[i - self.p : i][::-1]] for i in targets if i >= self.p])  # (m, p + 1)
        y = np.array([v[i] for i in targets if i >= self.p])
        self.coef, *_ = np.linalg.lstsq(rows, y, rcond=None)
        return self

    @classmethod
    def from_dict(cls, record: dict) -> AutoRegression:
        model = cls(int(record["p"]))
        model.coef = np.asarray(record["coef"], dtype=np.float64)
        return model

    def predict(self, history: Sequence[float]) -> float:
        """The next value after ``history`` (at least p values)."""
        lags = np.asarray(history[-self.p :], dtype=np.float64)[::-1]
        return float(self.coef[0] + self.coef[1:] @ lags)

    @classmethod
    def chosen(cls, values: Sequence[float], train: Sequence[int], dev: Sequence[int],
               orders: Sequence[int] = (1, 2, 3, 5, 7, 10, 14, 21, 30)) -> AutoRegression:
        """The order p with the lowest one-step MAE on the dev period, fitted on the training period."""
        best, best_mae = None, np.inf
        for p in orders:
            model = cls(p).fit(values, [i for i in train if i >= p])
            mae = np.mean([abs(model.predict(values[:i]) - values[i]) for i in dev])
            if mae < best_mae:
                best, best_mae = model, mae
        return best

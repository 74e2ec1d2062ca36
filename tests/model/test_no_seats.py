"""A workspace without seat exports: the seat frames of the empty case are made once per process
and every model gets copies of its own."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sambrief.model import seats
from sambrief.model.core import DATASETS, Period, build_model, empty_frame


def test_models_without_seat_exports_get_the_full_paths_frames_each_their_own():
    first = build_model({}, [], Period(2026, 10), date(2026, 11, 5))
    expected = first.frame("cloud_seats").copy()
    first.frame("cloud_seats")["product"] = "written by a theme"
    first.frame("cloud_activity")["extra"] = 1
    second = build_model({}, [], Period(2026, 10), date(2026, 11, 5))

    made = seats._combine(
        {"cloud_seats": empty_frame("cloud_seats"), "cloud_activity": empty_frame("cloud_activity")}, {}, []
    )
    assert list(second.frame("cloud_seats").columns) == list(DATASETS["cloud_seats"].field_names)
    pd.testing.assert_frame_equal(second.frame("cloud_seats"), expected)
    assert "extra" not in second.frame("cloud_activity")
    pd.testing.assert_frame_equal(second.frame("cloud_activity"), made.activity)
    assert second.seat_signals == {}
    assert len(second.frame("cloud_seats")) == 0

from __future__ import annotations

from storelens.woocommerce.paging import Page, PageSizer


def test_page_size_steps_down_100_50_20_5_and_stops() -> None:
    sizer = PageSizer()
    seen = [sizer.preferred]
    while sizer.shrink():
        seen.append(sizer.preferred)
    assert seen == [100, 50, 20, 5]
    assert sizer.preferred == 5


def test_page_size_grows_back_one_step_after_a_run_of_successes() -> None:
    sizer = PageSizer(grow_after=3)
    sizer.shrink()
    sizer.shrink()
    assert sizer.preferred == 20
    sizer.success()
    sizer.success()
    assert sizer.preferred == 20
    sizer.success()
    assert sizer.preferred == 50
    for _ in range(3):
        sizer.success()
    assert sizer.preferred == 100


def test_a_failure_resets_the_run_of_successes() -> None:
    sizer = PageSizer(grow_after=2)
    sizer.shrink()
    sizer.success()
    sizer.shrink()
    sizer.success()
    assert sizer.preferred == 20


def test_size_keeps_the_position_on_a_page_boundary() -> None:
    sizer = PageSizer()
    sizer.shrink()  # 50
    sizer.shrink()  # 20
    assert sizer.size_at(100) == 20
    assert sizer.size_at(150) == 5  # 20 does not divide 150: page 31 of 5 starts exactly at row 150
    assert sizer.size_at(0, cap=10) == 5
    sizer = PageSizer()
    assert sizer.size_at(150) == 50
    assert sizer.size_at(155) == 5


def test_page_past_the_end_is_empty_with_zero_totals_and_ends_the_listing() -> None:
    page = Page(items=[], page=21, per_page=100, offset=2000, total=0, total_pages=0)
    assert page.is_last()


def test_a_short_page_is_not_the_last_when_total_pages_says_more() -> None:
    page = Page(items=[1] * 97, page=1, per_page=100, offset=0, total=1989, total_pages=20)
    assert not page.is_last()
    assert Page(items=[1] * 89, page=20, per_page=100, offset=1900, total=1989, total_pages=20).is_last()


def test_without_totals_a_short_page_ends_the_listing() -> None:
    assert Page(items=[1] * 3, page=2, per_page=5, offset=5, total=None, total_pages=None).is_last()
    assert not Page(items=[1] * 5, page=2, per_page=5, offset=5, total=None, total_pages=None).is_last()

"""Bad input to mkt_lessons.cleaning; machinery in badinput.py (DESIGN §7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from badinput import Array, Flag, Real, Size, Spec, Table, make_tests, tiny_orders

from mkt_lessons import cleaning
from mkt_lessons.constants import (
    AMOUNT_COL,
    CUSTOMER_COL,
    DATE_COL,
    DISCOUNT_COL,
    ORDER_COL,
    PRICE_COL,
    PRODUCT_COL,
    QUANTITY_COL,
)

NUMBERS = [QUANTITY_COL, PRICE_COL, DISCOUNT_COL, AMOUNT_COL]
IDS = [ORDER_COL, CUSTOMER_COL, PRODUCT_COL]


def canonical_orders() -> pd.DataFrame:
    """tiny_orders with ids in the shop's canonical formats (O000001, C00001, P0001)."""
    o = tiny_orders().drop_duplicates(["order_id", "product_id"]).reset_index(drop=True)
    return o.assign(order_id="O" + o["order_id"].str[1:].str.zfill(6),
                    customer_id="C" + o["customer_id"].str[1:].str.zfill(5),
                    product_id="P" + o["product_id"].str[1:].str.zfill(4))


def raw_export() -> pd.DataFrame:
    """canonical_orders as the shop exports it: every column text, money with '$'."""
    o = canonical_orders()
    return pd.DataFrame({
        ORDER_COL: o[ORDER_COL], DATE_COL: o[DATE_COL].dt.strftime("%d.%m.%Y"),
        CUSTOMER_COL: " " + o[CUSTOMER_COL].str.lower(), PRODUCT_COL: o[PRODUCT_COL],
        QUANTITY_COL: o[QUANTITY_COL].astype(str), PRICE_COL: "$" + o[PRICE_COL].map("{:.2f}".format),
        DISCOUNT_COL: (o[DISCOUNT_COL] * 100).map("{:.0f}%".format),
        AMOUNT_COL: o[AMOUNT_COL].map("{:.2f}".format)}).astype("str")


def _set_first(kw: dict, key: str, col: str, value) -> dict:
    df = kw[key].copy()
    df[col] = df[col].astype(object)
    df.iloc[0, df.columns.get_loc(col)] = value
    return {**kw, key: df}


TEXT_ELEMENTWISE = "element-wise: zero values in, zero values out (an empty column parses to an empty column)"
VALIDATOR_REPORTS = ("a validator counts missing values as failures of the rule they break "
                     "(test_validate_orders_reports_missing_values)")

SPECS = [
    Spec(cleaning.clean_orders, lambda: dict(raw=raw_export()),
         {"raw": Table(required=cleaning.ORDER_COLUMNS, ids=[ORDER_COL, DATE_COL]),
          "price_typo_factor": Real(low=2, low_open=True)},
         extra=[
             ("zero:price_typo_factor", lambda kw: {**kw, "price_typo_factor": 0}, ValueError),
             ("one:price_typo_factor", lambda kw: {**kw, "price_typo_factor": 1}, ValueError),
             ("badregex:test_customer_pattern",
              lambda kw: {**kw, "test_customer_pattern": "TEST("}, ValueError),
             ("number:test_customer_pattern",
              lambda kw: {**kw, "test_customer_pattern": 5}, TypeError),
             ("numbers:raw[quantity]",
              lambda kw: {**kw, "raw": kw["raw"].astype({QUANTITY_COL: int})}, TypeError),
             ("typed:raw[order_date]",
              lambda kw: {**kw, "raw": kw["raw"].assign(
                  **{DATE_COL: pd.to_datetime(kw["raw"][DATE_COL], format="%d.%m.%Y")})}, TypeError),
             ("tz:raw[order_date]",
              lambda kw: {**kw, "raw": kw["raw"].assign(
                  **{DATE_COL: pd.to_datetime(kw["raw"][DATE_COL], format="%d.%m.%Y")
                     .dt.tz_localize("UTC")})}, ValueError),
             ("badmoney:raw[unit_price]", lambda kw: _set_first(kw, "raw", PRICE_COL, "12,34"), ValueError),
             ("zero:raw[unit_price]", lambda kw: _set_first(kw, "raw", PRICE_COL, "0.00"), ValueError),
             ("fraction:raw[quantity]", lambda kw: _set_first(kw, "raw", QUANTITY_COL, "1.5"), ValueError),
             ("inf:raw[quantity]", lambda kw: _set_first(kw, "raw", QUANTITY_COL, "inf"), ValueError),
             ("baddate:raw[order_date]", lambda kw: _set_first(kw, "raw", DATE_COL, "yesterday"), ValueError),
             ("baddiscount:raw[discount]", lambda kw: _set_first(kw, "raw", DISCOUNT_COL, "150%"), ValueError),
             ("samecols:order_col", lambda kw: {**kw, "order_col": PRODUCT_COL}, ValueError),
             ("number:order_col", lambda kw: {**kw, "order_col": 3}, TypeError),
             ("badkey:id_patterns", lambda kw: {**kw, "id_patterns": {"sku": "x"}}, ValueError),
             ("notdict:id_patterns", lambda kw: {**kw, "id_patterns": "O\\d+"}, TypeError),
         ]),
    Spec(cleaning.validate_orders, lambda: dict(orders=canonical_orders()),
         {"orders": Table(required=cleaning.ORDER_COLUMNS, ids=IDS, numeric=NUMBERS, dates=[DATE_COL]),
          "tolerance": Real(low=0), "raise_errors": Flag()},
         accept={f"nan_id:orders[{c}]": VALIDATOR_REPORTS for c in IDS}
         | {f"nan:orders[{c}]": VALIDATOR_REPORTS for c in NUMBERS}
         | {f"nat:orders[{DATE_COL}]": VALIDATOR_REPORTS},
         extra=[("negative:tolerance", lambda kw: {**kw, "tolerance": -1}, ValueError),
                ("bool:orders[quantity]", lambda kw: {**kw, "orders": kw["orders"].assign(
                    **{QUANTITY_COL: True})}, TypeError),
                ("number:amount_col", lambda kw: {**kw, "amount_col": 7}, TypeError),
                ("badregex:id_patterns", lambda kw: {**kw, "id_patterns": {ORDER_COL: "O("}},
                 ValueError)]),
    Spec(cleaning.parse_money, lambda: dict(values=pd.Series(["$1,234.50", "12.50", "-3"]), name="unit_price"),
         accept={},
         extra=[("bad:unit_price", lambda kw: {**kw, "values": pd.Series(["12,34"])}, ValueError),
                ("frame:unit_price", lambda kw: {**kw, "values": pd.DataFrame({"a": ["1"]})}, TypeError),
                ("2d:unit_price", lambda kw: {**kw, "values": np.array([["1", "2"]])}, ValueError),
                ("bool:unit_price", lambda kw: {**kw, "values": [True, False]}, TypeError),
                ("dates:unit_price", lambda kw: {**kw, "values": pd.Series(pd.to_datetime(["2024-01-01"]))},
                 TypeError),
                ("tz:unit_price", lambda kw: {**kw, "values": pd.Series(pd.to_datetime(["2024-01-01"]))
                                           .dt.tz_localize("UTC")}, ValueError),
                ("object:unit_price", lambda kw: {**kw, "values": [{"a": 1}]}, TypeError),
                ("inf:unit_price", lambda kw: {**kw, "values": [float("inf")]}, ValueError),
                ("number:name", lambda kw: {**kw, "name": 3}, TypeError)]),
    Spec(cleaning.parse_discount, lambda: dict(values=pd.Series(["15%", "0.15", "0"])),
         extra=[("bad:discount", lambda kw: {**kw, "values": pd.Series(["15 percent"])}, ValueError),
                ("above:discount", lambda kw: {**kw, "values": pd.Series(["150%"])}, ValueError),
                ("negative:discount", lambda kw: {**kw, "values": pd.Series(["-0.1"])}, ValueError),
                ("frame:discount", lambda kw: {**kw, "values": pd.DataFrame({"a": ["1"]})}, TypeError),
                ("bool:discount", lambda kw: {**kw, "values": [True]}, TypeError),
                ("dates:discount", lambda kw: {**kw, "values": pd.Series(pd.to_datetime(["2024-01-01"]))},
                 TypeError)]),
    Spec(cleaning.parse_dates, lambda: dict(values=pd.Series(["2024-07-04", "04.07.2024"])),
         extra=[("bad:order_date", lambda kw: {**kw, "values": pd.Series(["2024/07/04"])}, ValueError),
                ("invalid:order_date", lambda kw: {**kw, "values": pd.Series(["31.02.2024"])}, ValueError),
                ("numbers:order_date", lambda kw: {**kw, "values": pd.Series([20240704])}, TypeError),
                ("tz:order_date", lambda kw: {**kw, "values": pd.Series(pd.to_datetime(["2024-01-01"]))
                                           .dt.tz_localize("UTC")}, ValueError),
                ("frame:order_date", lambda kw: {**kw, "values": pd.DataFrame({"a": ["1"]})}, TypeError),
                ("unknown:formats", lambda kw: {**kw, "formats": ["%Y%m%d"]}, ValueError),
                ("empty:formats", lambda kw: {**kw, "formats": []}, ValueError),
                ("text:formats", lambda kw: {**kw, "formats": "%Y-%m-%d"}, TypeError)]),
    Spec(cleaning.normalize_ids, lambda: dict(values=pd.Series([" c00012", "C00013"]), name="customer_id"),
         extra=[("numbers:customer_id", lambda kw: {**kw, "values": pd.Series([12.0, 13.0])}, TypeError),
                ("mixed:customer_id", lambda kw: {**kw, "values": ["C1", 2]}, TypeError),
                ("frame:customer_id", lambda kw: {**kw, "values": pd.DataFrame({"a": ["1"]})}, TypeError),
                ("bool:customer_id", lambda kw: {**kw, "values": [True]}, TypeError)]),
    Spec(cleaning.iqr_outliers, lambda: dict(values=pd.Series([1.0, 2.0, 3.0, 4.0, 100.0]), k=1.5),
         {"values": Array(), "k": Real(low=0, low_open=True)}),
    Spec(cleaning.robust_zscores, lambda: dict(values=pd.Series([1.0, 2.0, 3.0, 4.0, 100.0])),
         {"values": Array()}),
    Spec(cleaning.price_typo_mask,
         lambda: dict(unit_price=pd.Series([10.0, 10.0, 1000.0, 500.0]),
                      product_id=pd.Series(["A", "A", "A", "B"]), factor=100.0),
         {"unit_price": Array(), "product_id": Array(numeric=False),
          "factor": Real(low=2, low_open=True)},
         extra=[("zero:unit_price", lambda kw: {**kw, "unit_price": [0.0, 10.0, 1000.0, 500.0]}, ValueError),
                ("short:product_id", lambda kw: {**kw, "product_id": ["A", "A"]}, ValueError),
                ("zero:factor", lambda kw: {**kw, "factor": 0}, ValueError)]),
    Spec(cleaning.pseudonymize,
         lambda: dict(values=pd.Series(["ann@x.com", "bob@x.com"]), salt="a-long-secret", length=16),
         {"values": Array(numeric=False, empty=False), "length": Size(low=8, high=64)},
         extra=[("short:salt", lambda kw: {**kw, "salt": "short"}, ValueError),
                ("number:salt", lambda kw: {**kw, "salt": 12345678}, TypeError),
                ("numbers:values", lambda kw: {**kw, "values": [1.0, 2.0]}, TypeError)]),
    Spec(cleaning.k_anonymity,
         lambda: dict(df=pd.DataFrame({"band": ["20s", "20s", "30s"], "region": ["N", "N", "S"]}),
                      quasi_identifiers=["band", "region"]),
         {"df": Table(required=["band", "region"])},
         extra=[("empty:quasi_identifiers", lambda kw: {**kw, "quasi_identifiers": []}, ValueError),
                ("missing:quasi_identifiers", lambda kw: {**kw, "quasi_identifiers": ["age"]}, ValueError),
                ("twice:quasi_identifiers", lambda kw: {**kw, "quasi_identifiers": ["band", "band"]},
                 ValueError),
                ("number:quasi_identifiers", lambda kw: {**kw, "quasi_identifiers": 3}, TypeError)]),
]
test_bad_input, test_valid_call = make_tests(SPECS)


# --------------------------------------------------------------------------- accepted cases, checked
@pytest.mark.parametrize("col", [*IDS, *NUMBERS, DATE_COL])
def test_validate_orders_reports_missing_values(col):
    """The mutations accepted above are not silent: the broken rule counts the row."""
    orders = canonical_orders()
    assert cleaning.validate_orders(orders)["passed"].all()
    broken = orders.copy()
    broken[col] = broken[col].astype(object if col != DATE_COL else broken[col].dtype)
    broken.loc[0, col] = pd.NaT if col == DATE_COL else np.nan
    if col in NUMBERS:
        broken[col] = broken[col].astype(float)
    table = cleaning.validate_orders(broken)
    failed = table.loc[~table["passed"], "rule"].tolist()
    assert any(col in rule for rule in failed), (col, failed)
    with pytest.raises(ValueError, match="validation rule"):
        cleaning.validate_orders(broken, raise_errors=True)


def test_price_typo_factor_zero_is_refused_not_reported_as_zero():
    """Issue 13: factor 0 kept the x100 typos while the report said 0 repaired."""
    raw = raw_export()
    raw.loc[0, PRICE_COL] = "$" + f"{float(raw.loc[0, PRICE_COL][1:]) * 100:.2f}"
    with pytest.raises(ValueError, match="price_typo_factor"):
        cleaning.clean_orders(raw, price_typo_factor=0)


def test_clean_orders_keeps_the_callers_column_names():
    names = {ORDER_COL: "oid", DATE_COL: "day", CUSTOMER_COL: "cust", PRODUCT_COL: "sku",
             QUANTITY_COL: "qty", PRICE_COL: "price", DISCOUNT_COL: "disc", AMOUNT_COL: "amount"}
    raw = raw_export()
    clean, report = cleaning.clean_orders(raw)
    renamed, report2 = cleaning.clean_orders(
        raw.rename(columns=names), order_col="oid", date_col="day", customer_col="cust",
        product_col="sku", quantity_col="qty", price_col="price", discount_col="disc",
        amount_col="amount")
    pd.testing.assert_frame_equal(renamed, clean.rename(columns=names))
    assert report2.removed == report.removed
    # the raw table is a clean export: the tiny orders come back exactly
    pd.testing.assert_frame_equal(
        clean.reset_index(drop=True),
        canonical_orders().sort_values([DATE_COL, ORDER_COL, PRODUCT_COL], kind="stable")
        .reset_index(drop=True).astype({DATE_COL: "datetime64[us]", ORDER_COL: "str",
                                        CUSTOMER_COL: "str", PRODUCT_COL: "str"}),
        check_dtype=False)


def test_report_is_a_frozen_result_with_its_v1_names():
    _, report = cleaning.clean_orders(raw_export())
    from mkt_lessons._results import Result

    assert isinstance(report, Result)
    with pytest.raises(AttributeError):
        report.raw_rows = 0
    assert {"removed", "repaired", "reformatted", "raw_rows", "clean_rows", "dropped",
            "changed"} <= set(report.to_dict())
    assert report.summary()["raw_rows"] == len(raw_export())
    assert report.raw_rows == report.clean_rows + sum(report.removed.values())


def test_dropped_rows_keep_the_callers_index():
    raw = raw_export()
    raw = pd.concat([raw, raw.iloc[[2]]]).set_axis([f"r{i}" for i in range(len(raw) + 1)])
    _, report = cleaning.clean_orders(raw)
    assert report.dropped.index.tolist() == [f"r{len(raw) - 1}"]
    assert report.dropped["reason"].tolist() == ["exact_duplicate_rows"]

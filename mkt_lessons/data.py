"""Load the bundled "Lumen Home" tables with proper types.

Every loader checks that its file exists and still matches ``SHA256SUMS`` (the data are
the answer key of every lesson: a silently edited file would make the checks lie), then
parses dates, reads ids as strings and makes low-cardinality labels categorical.

The data folder is ``datasets/`` next to the package, or the folder named by the
environment variable ``MKT_LESSONS_DATA``. A folder without ``SHA256SUMS`` (your own data
in the same layout) is loaded without the checksum check.

Every loader takes ``verify`` (default True): False skips the checksum, e.g. for a copy
you edited on purpose. A missing or altered file raises :class:`DataFileError` naming the
file and the fix (``make data``).

Examples
--------
>>> orders = load_orders()
>>> orders.dtypes[["order_date", "customer_id", "revenue"]].astype(str).tolist()
['datetime64[us]', 'str', 'float64']
>>> load_orders(verify="yes")
Traceback (most recent call last):
...
TypeError: verify must be True or False, got str 'yes'
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from mkt_lessons._results import Result
from mkt_lessons._validation import check_bool, check_frame
from mkt_lessons.constants import (
    AMOUNT_COL,
    CATEGORY_COL,
    CHANNEL_COL,
    CUSTOMER_COL,
    DATE_COL,
    DISCOUNT_COL,
    ORDER_COL,
    PRICE_COL,
    PRODUCT_COL,
    QUANTITY_COL,
    SIGNUP_COL,
    SPEND_COL,
    WEEK_COL,
)

__all__ = ["DATA_DIR", "ENV_VAR", "SCHEMAS", "DataFileError", "Truth", "data_dir",
           "load_customers", "load_products", "load_orders", "load_raw_orders",
           "load_marketing_spend", "load_promotions", "load_ab_test", "load_retention_test",
           "load_reviews", "load_truth", "verify_all", "TRUTH_V2"]

DATA_DIR = Path(__file__).resolve().parent.parent / "datasets"
ENV_VAR = "MKT_LESSONS_DATA"

# file -> (date columns, dtypes); ids are strings, labels categorical.
SCHEMAS: dict[str, tuple[list[str], dict[str, str]]] = {
    "customers.csv": ([SIGNUP_COL], {CUSTOMER_COL: "str", "region": "category", "age": "int64",
                                     CHANNEL_COL: "category", "email": "str"}),
    "products.csv": ([], {PRODUCT_COL: "str", "name": "str", CATEGORY_COL: "category",
                          "brand": "category", "price": "float64", "description": "str"}),
    "orders.csv": ([DATE_COL], {ORDER_COL: "str", CUSTOMER_COL: "str", PRODUCT_COL: "str",
                                QUANTITY_COL: "int64", PRICE_COL: "float64",
                                DISCOUNT_COL: "float64", AMOUNT_COL: "float64"}),
    "marketing_spend.csv": ([WEEK_COL], {"channel": "category", SPEND_COL: "float64"}),
    "promotions.csv": (["start_date", "end_date"], {"promo_id": "str", "name": "str",
                                                     "discount": "float64"}),
    "ab_test.csv": ([], {"visitor_id": "str", "variant": "category", "pre_period_sessions": "int64",
                         "converted": "bool", "revenue": "float64"}),
    "truth/customers.csv": (["churn_date"], {CUSTOMER_COL: "str", "persona": "category",
                                             "p_buy_90d_train": "float64",
                                             "p_buy_90d_test": "float64"}),
    "truth/customer_factors.csv": ([], {CUSTOMER_COL: "str"}),
    "truth/product_factors.csv": ([], {PRODUCT_COL: "str"}),
    "truth/expected_daily_revenue.csv": (["date"], {}),
    "truth/weekly_acquisition.csv": ([WEEK_COL], {"channel": "category"}),
    # data v2 (issue 15): present once datasets/ is generated with version 2
    "retention_test.csv": (["assigned_at"], {
        "customer_id": "str", "treatment": "int64", "tenure_days": "int64", "recency_days": "int64",
        "frequency_365d": "int64", "monetary_365d": "float64", "age": "int64", "region": "category",
        "acquisition_channel": "category", "purchased_60d": "int64", "revenue_60d": "float64"}),
    "reviews.csv": (["review_date"], {"review_id": "str", "customer_id": "str", "product_id": "str",
                                      "rating": "int64", "text": "str"}),
    "truth/retention_uplift.csv": ([], {
        "customer_id": "str", "treatment": "int64", "segment": "category", "alive_at_assignment": "bool",
        "sleeping_dog": "bool", "offer_boost": "float64", "p_purchase_control": "float64",
        "p_purchase_treated": "float64", "uplift_purchase": "float64", "revenue_60d_control": "float64",
        "revenue_60d_treated": "float64", "uplift_revenue": "float64", "margin_60d_control": "float64",
        "margin_60d_treated": "float64", "uplift_margin": "float64"}),
    "truth/media_response.csv": (["week_start"], {
        "channel": "category", "spend": "float64", "adstock": "float64", "saturation": "float64",
        "lift": "float64", "incremental_revenue": "float64"}),
    "truth/reviews.csv": ([], {
        "review_id": "str", "order_id": "str", "sentiment": "float64", "negated": "bool",
        "quality": "int64", "delivery": "int64", "value": "int64", "design": "int64", "service": "int64",
        "size_fit": "int64"}),
    "truth/orders_2025.csv": (["order_date"], {"order_id": "str", "customer_id": "str", "product_id": "str",
                                               "quantity": "int64", "unit_price": "float64",
                                               "discount": "float64", "revenue": "float64"}),
    "truth/customers_2025.csv": ([], {
        "customer_id": "str", "alive_at_end": "bool", "expected_orders_2025": "float64",
        "expected_revenue_2025": "float64", "expected_margin_2025": "float64"}),
}
#: The v2 truth tables: Truth attribute -> file (None when the data folder is version 1).
TRUTH_V2 = {"retention_uplift": "truth/retention_uplift.csv", "media_response": "truth/media_response.csv",
            "reviews": "truth/reviews.csv", "orders_2025": "truth/orders_2025.csv",
            "customers_2025": "truth/customers_2025.csv"}


class DataFileError(RuntimeError):
    """A bundled data file is missing, altered or malformed."""


def data_dir() -> Path:
    """The folder the loaders read: ``$MKT_LESSONS_DATA`` if set, else the bundled ``datasets/``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else DATA_DIR


_verified: dict[tuple[str, int, int], str] = {}


def _expected_sums(root: Path) -> dict[str, str] | None:
    sums = root / "SHA256SUMS"
    if not sums.exists():
        return None
    out = {}
    for line in sums.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            out[name.strip().lstrip("*")] = digest
    return out


def _path(name: str, verify: bool = True) -> Path:
    root = data_dir()
    path = root / name
    fix = ("Run `make data` in the project folder to rebuild the bundled data"
           f" (or point {ENV_VAR} at a folder that has it).")
    if not path.exists():
        raise DataFileError(f"Data file {name!r} is missing from {root}. {fix}")
    if verify:
        sums = _expected_sums(root)
        if sums is not None:
            st = path.stat()
            key = (str(path), st.st_size, st.st_mtime_ns)
            if key not in _verified:
                if name not in sums:
                    raise DataFileError(f"Data file {name!r} is not listed in {root / 'SHA256SUMS'}. {fix}")
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                if digest != sums[name]:
                    raise DataFileError(
                        f"Data file {name!r} in {root} does not match its checksum in SHA256SUMS: "
                        f"it was changed after it was generated. {fix}")
                _verified[key] = digest
    return path


def _read(name: str, verify: bool = True) -> pd.DataFrame:
    verify = check_bool(verify, "verify")
    path = _path(name, verify)
    dates, dtypes = SCHEMAS[name]
    try:
        df = pd.read_csv(path, dtype=dtypes, parse_dates=dates or False)
    except (ValueError, KeyError) as exc:
        raise DataFileError(f"Data file {name!r} could not be parsed ({exc}). Run `make data`.") from exc
    missing = [c for c in [*dates, *dtypes] if c not in df.columns]
    if missing:
        raise DataFileError(f"Data file {name!r} lacks the column(s) {missing}. Run `make data`.")
    return df


def load_customers(verify: bool = True) -> pd.DataFrame:
    """One row per customer: id, signup date, region, age, acquisition channel, e-mail."""
    return _read("customers.csv", verify)


def load_products(verify: bool = True) -> pd.DataFrame:
    """One row per product: id, name, category, brand, list price (USD), tag-word description."""
    return _read("products.csv", verify)


def load_orders(verify: bool = True) -> pd.DataFrame:
    """Clean order lines: one row per (order, product), revenue = round(qty x price x (1 - discount), 2)."""
    return _read("orders.csv", verify)


def load_raw_orders(verify: bool = True) -> pd.DataFrame:
    """The order lines as exported, defects and all: every column is text (blank cells are NaN)."""
    verify = check_bool(verify, "verify")
    path = _path("orders_raw.csv", verify)
    return pd.read_csv(path, dtype="str")


def load_marketing_spend(verify: bool = True) -> pd.DataFrame:
    """Weekly spend (USD) per paid channel; weeks start on Sunday, the last one has 3 days."""
    return _read("marketing_spend.csv", verify)


def load_promotions(verify: bool = True) -> pd.DataFrame:
    """The promotions calendar: site-wide discount between start and end date (inclusive)."""
    return _read("promotions.csv", verify)


def load_ab_test(verify: bool = True) -> pd.DataFrame:
    """One row per visitor of the checkout experiment: variant, pre-period sessions, outcome."""
    return _read("ab_test.csv", verify)


def load_retention_test(verify: bool = True) -> pd.DataFrame:
    """The randomised retention offer (data v2): one row per eligible customer.

    Columns: ``customer_id``; ``assigned_at`` (the day the voucher e-mail went out);
    ``treatment`` (1 = e-mailed, about 1 in 3, *not* half); the pre-treatment features a
    marketer has on that day (``tenure_days``, ``recency_days``, ``frequency_365d``,
    ``monetary_365d`` in USD, ``age``, ``region``, ``acquisition_channel``); and the outcome
    in the 60 days from ``assigned_at`` (``purchased_60d`` 0/1, ``revenue_60d`` USD).

    Parameters
    ----------
    verify : bool, default True
        Check the file against ``SHA256SUMS`` first.

    Raises
    ------
    DataFileError
        If the file is missing (the data folder is version 1), altered or malformed.
    TypeError
        If ``verify`` is not True or False.
    """
    return _read("retention_test.csv", verify)


def load_reviews(verify: bool = True) -> pd.DataFrame:
    """Product reviews (data v2): ``review_id``, ``customer_id``, ``product_id``, ``review_date``,
    ``rating`` (1-5 stars) and free ``text``.

    Parameters
    ----------
    verify : bool, default True
        Check the file against ``SHA256SUMS`` first.

    Raises
    ------
    DataFileError
        If the file is missing (the data folder is version 1), altered or malformed.
    TypeError
        If ``verify`` is not True or False.
    """
    return _read("reviews.csv", verify)


@dataclass(frozen=True, eq=False)
class Truth(Result):
    """The generator's answers. Peek only to grade a method, never to build one.

    Attributes
    ----------
    params : dict
        Everything in ``truth/truth.json``: true costs per acquisition, experiment rates,
        persona settings, seasonality, defect counts, sizes.
    customers : DataFrame
        Per customer: hidden ``persona``, latent ``churn_date`` (first day with no activity;
        may lie after the data window), and ``p_buy_90d_train`` / ``p_buy_90d_test``, the true
        probability of at least one order in the 90 days after the churn cut-offs.
    customer_factors, product_factors : DataFrame
        Latent taste vectors (``f1`` ...) and product ``popularity`` behind product choice.
    expected_daily_revenue : DataFrame
        The expected revenue and orders per day given the latent state: the forecasting floor.
    weekly_acquisition : DataFrame
        Expected and realised new customers per week and channel (organic included).
    retention_uplift : DataFrame or None
        Data v2. Per eligible customer of the retention test: ``segment`` (persuadable,
        sure_thing, lost_cause, sleeping_dog), the true P(purchase in 60 days) under control
        and treatment, ``uplift_purchase``, and expected 60-day revenue and margin under each
        arm with their uplifts (USD).
    media_response : DataFrame or None
        Data v2. Per week and channel: spend, geometric ``adstock``, Hill ``saturation``,
        ``lift`` of purchase intensity and the expected ``incremental_revenue`` (USD). The
        per-channel decay, half-saturation, shape, ROAS and marginal ROAS are in
        ``params["media"]``.
    reviews : DataFrame or None
        Data v2. Per review: latent ``sentiment``, whether the text uses a ``negated`` phrase,
        and each aspect's polarity (-1, 0 = not mentioned, +1).
    orders_2025 : DataFrame or None
        Data v2. The realised future: the same customers' order lines in 2025 (as orders.csv).
    customers_2025 : DataFrame or None
        Data v2. Per customer: alive on 2024-12-31, and the expected 2025 orders, revenue and
        margin given the latent state on that day (the lifetime-value oracle).
    """

    # identity, not field-by-field equality: the fields hold tables
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    params: dict
    customers: pd.DataFrame
    customer_factors: pd.DataFrame
    product_factors: pd.DataFrame
    expected_daily_revenue: pd.DataFrame
    weekly_acquisition: pd.DataFrame
    retention_uplift: pd.DataFrame | None = None
    media_response: pd.DataFrame | None = None
    reviews: pd.DataFrame | None = None
    orders_2025: pd.DataFrame | None = None
    customers_2025: pd.DataFrame | None = None

    def taste_scores(self, products: pd.DataFrame | None = None) -> pd.DataFrame:
        """True choice scores (customers x products): taste . factors + popularity + price term.

        Higher means the customer is more likely to pick the product; the softmax of a row
        is the customer's true product-choice distribution. Dense (customers x products):
        meant for the bundled 200-product catalogue.

        Parameters
        ----------
        products : DataFrame, optional
            Products to score (``product_id``, ``price`` > 0), all of them in
            ``product_factors``; default the whole catalogue.
        """
        products = load_products() if products is None else products
        check_frame(products, "products", [PRODUCT_COL, "price"], ids=[PRODUCT_COL],
                    numeric=["price"])
        if (products["price"] <= 0).any():
            raise ValueError("products['price'] must be > 0 (its log enters the score), got "
                             f"{products['price'].min():g}")
        known = set(self.product_factors[PRODUCT_COL])
        unknown = [p for p in products[PRODUCT_COL] if p not in known]
        if unknown:
            raise ValueError(f"products['product_id'] has {len(unknown)} id(s) the generator "
                             f"has no factors for, e.g. {unknown[:3]}")
        fcols = [c for c in self.customer_factors.columns if c.startswith("f")]
        pf = self.product_factors.set_index(PRODUCT_COL).loc[products[PRODUCT_COL]]
        u = self.customer_factors[fcols].to_numpy()
        v = pf[fcols].to_numpy()
        log_price = np.log(products["price"].to_numpy())
        persona = self.customers.set_index(CUSTOMER_COL).loc[self.customer_factors[CUSTOMER_COL], "persona"]
        beta = persona.map({p: s["price_beta"] for p, s in self.params["personas"].items()}).astype(float)
        scores = u @ v.T + pf["popularity"].to_numpy() + np.outer(beta.to_numpy(), log_price - log_price.mean())
        return pd.DataFrame(scores, index=self.customer_factors[CUSTOMER_COL].to_numpy(),
                            columns=products[PRODUCT_COL].to_numpy())


def load_truth(verify: bool = True) -> Truth:
    """The generator's answers (see :class:`Truth`); the v2 tables are None in version-1 data.

    Examples
    --------
    >>> truth = load_truth()
    >>> sorted(truth.params["personas"])[:2]
    ['bargain_hunter', 'big_spender']
    """
    verify = check_bool(verify, "verify")
    params = json.loads(_path("truth/truth.json", verify).read_text())
    root = data_dir()
    v2 = {attr: _read(name, verify) for attr, name in TRUTH_V2.items() if (root / name).exists()}
    return Truth(
        **v2,
        params=params,
        customers=_read("truth/customers.csv", verify),
        customer_factors=_read("truth/customer_factors.csv", verify),
        product_factors=_read("truth/product_factors.csv", verify),
        expected_daily_revenue=_read("truth/expected_daily_revenue.csv", verify),
        weekly_acquisition=_read("truth/weekly_acquisition.csv", verify),
    )


def verify_all() -> dict[str, str]:
    """Check every file listed in SHA256SUMS; return {file: 'ok'} or raise DataFileError.

    Examples
    --------
    >>> set(verify_all().values())
    {'ok'}
    """
    sums = _expected_sums(data_dir())
    if sums is None:
        raise DataFileError(f"No SHA256SUMS in {data_dir()}. Run `make data`.")
    for name in sums:
        _path(name)  # raises DataFileError on a missing or altered file
    return dict.fromkeys(sums, "ok")

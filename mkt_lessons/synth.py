"""The "Lumen Home" generator: a generative model of a direct-to-consumer home-goods shop.

Every bundled file in ``datasets/`` comes from :func:`generate` and :func:`write`, and the
generator's hidden parameters and latent states go to ``datasets/truth/`` so lessons can
compare what a method finds with what is really there.

The model, top to bottom (the data card ``datasets/README.md`` says the same in prose):

1. **Catalogue.** 200 products in 8 categories and 6 styles. Each product has a latent
   vector (category centroid + style centroid + noise), a popularity and a price.
   Descriptions are tag words drawn from its category and style vocabularies.
2. **Acquisition.** Weekly spend per paid channel; expected new customers per week and
   channel = spend / true cost-per-acquisition (CPA), plus a seasonal organic baseline.
   Counts are Poisson with the total conditioned on ``n_customers`` (i.e. multinomial).
3. **Customers.** Each has a hidden persona (channel-dependent mix) that sets purchase rate,
   basket size, price sensitivity, promotion sensitivity, holiday gifting and lifetime; a
   latent taste vector (persona mean + noise); and a latent churn date.
4. **Purchases.** The first order is on the signup day. Repeat orders follow a Poisson
   process with daily intensity rate/365 x weekly x yearly x holiday seasonality x
   promotion lift, while the customer is alive. Each order has 1 + Poisson lines; each
   line's product is drawn from softmax(taste . product + popularity + price_beta*log price).
5. **Experiment.** Visitors randomised 50/50, conversion 3.0% vs 3.45% on average, tilted
   by pre-period sessions; revenue per converter log-normal.
6. **Defects.** ``orders_raw.csv`` is the clean lines plus injected defects, each counted.

Data v2 (``generate(version=2)``, ``--version 2``; issue 15) adds, on the same model:

7. **Media response.** Paid media lift existing customers' repeat-purchase intensity by
   1 + sum over channels of max_lift x Hill(geometric adstock of weekly spend); the spend
   schedule has flights, dark weeks and budget shifts. Acquisition stays spend / CPA.
8. **Satisfaction.** A latent satisfaction per customer lengthens its mean lifetime
   (x exp(0.3 s)) and writes its reviews.
9. **Retention experiment.** On 2024-04-02, customers with an order in the past 365 days
   are e-mailed a 15% voucher with probability 1/3; the offer adds purchase intensity for
   60 days (heterogeneous; sleeping dogs churn faster instead); the truth holds each
   customer's potential outcomes (P(buy), expected revenue and margin under both arms).
10. **Reviews.** About 6% of order lines get a rating and a text from a phrase grammar
    (aspects, negation, intensifiers, hedges, mixed clauses, typos).
11. **The 2025 future.** The same customers continue through 2025 (no acquisition); the
    truth holds the realised 2025 orders and each customer's expected 2025 orders, revenue
    and margin given the latent state on 2024-12-31.

Scale (issue 15, item 5): a million customers (13.4 million order lines) generate in about
80-90 s of one core and write as CSV in about 45 s (Parquet: 25 s), within 8 GB (measured by
benchmarks/bench_synth.py on a shared 2-core machine). Only the days a customer is alive are drawn (a Poisson draw with
mean 0 uses no random numbers, so the numbers are those of the full customer x day matrix),
text is formatted once per distinct value, and ids are sorted as numbers; every speed-up
keeps each random draw and each output byte (the bundled data are rebuilt byte for byte).
``write(store, path, format="parquet")`` writes typed Parquet files instead of CSV (needs
the optional pyarrow: ``pip install "mkt-lessons[parquet]"``).

Dependencies run one way: this module imports nothing from the lesson modules.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

# The promotions and Black Friday are the lessons' calendar too: one definition, in constants.
from mkt_lessons import constants
from mkt_lessons._validation import check_1d, check_int, check_option, check_real
from mkt_lessons.constants import black_friday

DEFAULT_SEED = 20240101
DEFAULT_N_CUSTOMERS = 5000
START = pd.Timestamp("2023-01-01")
END = pd.Timestamp("2024-12-31")
TRAIN_CUTOFF = pd.Timestamp("2024-07-04")  # churn lesson: fit on this cut-off ...
TEST_CUTOFF = pd.Timestamp("2024-10-02")  # ... evaluate on this one (window ends on END)
CHURN_HORIZON_DAYS = 90
N_FACTORS = 6

CHANNELS = ["paid_search", "social", "display", "affiliate"]
CPA = {"paid_search": 45.0, "social": 60.0, "display": 110.0, "affiliate": 35.0}
ORGANIC_SHARE = 0.30  # expected share of customers who arrive with no paid channel

PERSONAS: dict[str, dict[str, float]] = {
    # rate: repeat orders per year while alive; lines/qty: Poisson means above 1;
    # price_beta: weight on log price in product choice; promo: intensity lift in promotions;
    # holiday: intensity lift from mid-November to Christmas; life: mean lifetime in days.
    "loyal_regular": dict(share=0.20, rate=24.0, lines=0.3, qty=0.1, price_beta=-0.3,
                          promo=1.3, holiday=1.0, life=2000, age_mean=42, age_sd=12),
    "big_spender": dict(share=0.10, rate=5.0, lines=2.5, qty=0.5, price_beta=3.0,
                        promo=1.0, holiday=1.2, life=1500, age_mean=48, age_sd=11),
    "bargain_hunter": dict(share=0.25, rate=3.0, lines=0.1, qty=0.1, price_beta=-2.5,
                           promo=16.0, holiday=1.0, life=1500, age_mean=33, age_sd=10),
    "one_time_buyer": dict(share=0.30, rate=0.3, lines=0.5, qty=0.1, price_beta=0.7,
                           promo=1.5, holiday=1.0, life=20, age_mean=38, age_sd=14),
    "holiday_gifter": dict(share=0.15, rate=0.4, lines=1.5, qty=0.3, price_beta=1.0,
                           promo=1.2, holiday=25.0, life=2500, age_mean=51, age_sd=12),
}
# How each acquisition channel tilts the persona mix (multiplies the base shares).
CHANNEL_PERSONA_TILT = {
    "paid_search": {"big_spender": 1.3, "loyal_regular": 1.2},
    "social": {"holiday_gifter": 1.3, "bargain_hunter": 1.2},
    "display": {"one_time_buyer": 1.4, "loyal_regular": 0.8},
    "affiliate": {"bargain_hunter": 1.8, "one_time_buyer": 1.2},
    "organic": {"loyal_regular": 1.5, "one_time_buyer": 0.7},
}
AFFILIATE_FIRST_ORDER_DISCOUNT = 0.10

CATEGORIES = {
    # category: (median price, nouns, tag words)
    "kitchen": (24.0, ["Mug", "Skillet", "Bowl Set", "Knife Block", "Teapot", "Cutting Board"],
                ["kitchen", "cooking", "ceramic", "dining"]),
    "bedding": (65.0, ["Duvet Cover", "Pillow", "Throw", "Sheet Set", "Quilt"],
                ["bedroom", "sleep", "cotton", "soft"]),
    "bath": (28.0, ["Towel Set", "Bath Mat", "Soap Dish", "Robe", "Shower Curtain"],
             ["bathroom", "towel", "spa", "absorbent"]),
    "lighting": (75.0, ["Table Lamp", "Pendant", "Floor Lamp", "String Lights", "Sconce"],
                 ["light", "lamp", "bulb", "glow"]),
    "decor": (32.0, ["Vase", "Mirror", "Candle", "Picture Frame", "Cushion", "Clock"],
              ["decor", "accent", "living", "gift"]),
    "furniture": (260.0, ["Side Table", "Armchair", "Bookshelf", "Bench", "Desk"],
                  ["furniture", "wood", "assembly", "sturdy"]),
    "garden": (42.0, ["Planter", "Watering Can", "Lantern", "Bird Feeder", "Outdoor Rug"],
               ["garden", "outdoor", "plant", "patio"]),
    "storage": (30.0, ["Basket", "Storage Box", "Shelf Unit", "Hook Rail", "Drawer Set"],
                ["storage", "organise", "tidy", "shelf"]),
}
STYLES = {
    "scandinavian": ["scandi", "minimal", "light-wood", "white"],
    "rustic": ["rustic", "farmhouse", "reclaimed", "linen"],
    "industrial": ["industrial", "metal", "black", "loft"],
    "boho": ["boho", "rattan", "woven", "colourful"],
    "modern": ["modern", "sleek", "grey", "geometric"],
    "vintage": ["vintage", "retro", "brass", "classic"],
}
COLLECTIONS = ["Oslo", "Harbor", "Willow", "Atlas", "Juniper", "Meadow", "Copper", "Linden",
               "Alder", "Cove", "Ember", "Fjord", "Haven", "Marlow", "Sage", "Tamsin"]
BRANDS = ["Lumen Basics", "Northwood", "Casa Calma", "Ferro & Co", "Wildflower", "Kettle & Pine",
          "Studio Nord", "Brassworks", "Terra Home", "Quiet Linen"]
REGIONS = {  # US census divisions and their share of customers
    "New England": 0.06, "Mid-Atlantic": 0.14, "East North Central": 0.14,
    "West North Central": 0.06, "South Atlantic": 0.20, "East South Central": 0.05,
    "West South Central": 0.12, "Mountain": 0.08, "Pacific": 0.15,
}
FIRST_NAMES = ["olivia", "liam", "emma", "noah", "ava", "elijah", "sophia", "james", "mia",
               "lucas", "amelia", "mateo", "harper", "levi", "evelyn", "ethan", "luna", "jack",
               "ella", "henry", "nora", "owen", "zoe", "leo", "grace", "kai", "ruby", "ezra",
               "maya", "omar", "priya", "wei", "fatima", "diego", "aisha", "hana"]
LAST_NAMES = ["smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
              "rodriguez", "martinez", "lee", "walker", "hall", "allen", "young", "king",
              "wright", "lopez", "hill", "scott", "green", "adams", "baker", "nguyen", "patel",
              "kim", "chen", "singh", "cohen", "murphy", "rossi", "novak"]

# Shared seasonality of purchase intensity (multiplicative, normalised to mean 1 overall).
WEEKDAY_FACTORS = [1.08, 0.96, 0.93, 0.95, 0.98, 0.97, 1.13]  # Monday .. Sunday
YEARLY_AMPLITUDE = 0.12  # cosine, peak in mid-January (new-year home refresh)
YEARLY_PEAK_DAY = 15
HOLIDAY_FACTORS = {
    "november_ramp": 1.15,  # Nov 1 to the day before Black Friday
    "black_friday_to_cyber_monday": 2.2,
    "december_1_to_20": 1.5,
    "christmas_24_to_26": 0.55,
}
GIFT_WINDOW = ("11-15", "12-22")  # holiday gifters' lift applies between these days

AB_TEST = dict(n_visitors=40_000, p_control=0.030, p_treatment=0.0345,
               sessions_mean=4.0, sessions_dispersion=2.0,
               revenue_median=55.0, revenue_sigma=0.85, revenue_session_slope=0.15)

DEFECT_RATES = {  # as a fraction of clean order lines
    "exact_duplicate_rows": 0.0025,
    "duplicate_order_lines": 0.0016,
    "return_lines": 0.003,
    "missing_product_id_lines": 0.0006,
    "missing_customer_id_filled": 0.0008,
    "price_typos_x100": 0.0003,
}
TEST_ORDERS = 10  # fake orders placed by staff, customer ids TEST01..TEST03
DATE_FORMATS = {"%Y-%m-%d": 0.85, "%d.%m.%Y": 0.05, "%m/%d/%Y": 0.05, "%d %b %Y": 0.05}
MONEY_STRING_RATE = 0.15  # rows whose money is exported as "$1,234.50"
PERCENT_DISCOUNT_RATE = 0.5  # discounted rows whose discount is exported as "15%"
MESSY_ID_RATE = 0.03  # rows whose ids carry stray whitespace or lower case


@dataclass
class Truth:
    """What the generator knows and no model sees: latent states and true parameters."""

    params: dict
    customers: pd.DataFrame  # persona, churn date, true probabilities of buying
    customer_factors: pd.DataFrame
    product_factors: pd.DataFrame
    expected_daily_revenue: pd.DataFrame
    weekly_acquisition: pd.DataFrame
    # data v2 only (None in version 1)
    retention_uplift: pd.DataFrame | None = None  # eligible customer: true uplift, segment
    media_response: pd.DataFrame | None = None  # week x channel: adstock, saturation, lift
    reviews: pd.DataFrame | None = None  # review: latent sentiment and aspect polarities
    orders_2025: pd.DataFrame | None = None  # the realised future (same layout as orders)
    customers_2025: pd.DataFrame | None = None  # customer: expected 2025 orders and margin


@dataclass
class Store:
    """All tables of one generated shop plus its truth."""

    customers: pd.DataFrame
    products: pd.DataFrame
    orders: pd.DataFrame
    orders_raw: pd.DataFrame
    marketing_spend: pd.DataFrame
    promotions: pd.DataFrame
    ab_test: pd.DataFrame
    truth: Truth
    tables: list[str] = field(default_factory=lambda: [
        "customers", "products", "orders", "orders_raw", "marketing_spend", "promotions",
        "ab_test"])
    retention_test: pd.DataFrame | None = None  # data v2 only
    reviews: pd.DataFrame | None = None  # data v2 only
    version: int = 1


# --------------------------------------------------------------------------- calendar
def _days() -> pd.DatetimeIndex:
    return pd.date_range(START, END, freq="D")


def promotions_calendar() -> pd.DataFrame:
    """The promotions of the data window (``constants.promotions_calendar`` over 2023-2024)."""
    return constants.promotions_calendar(START, END)


def _season_factors(days: pd.DatetimeIndex, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Daily demand factor (weekday x yearly x holiday) and the gift-season flag."""
    weekday = np.asarray(WEEKDAY_FACTORS)[days.day_of_week]
    yearly = 1 + YEARLY_AMPLITUDE * np.cos(2 * np.pi * (days.day_of_year - YEARLY_PEAK_DAY) / 365.25)
    holiday = np.ones(len(days))
    gift = np.zeros(len(days), dtype=bool)
    for year in range(START.year, last_year + 1):
        bf = black_friday(year)
        in_ = lambda a, b: (days >= a) & (days <= b)  # noqa: E731
        holiday[in_(pd.Timestamp(f"{year}-11-01"), bf - pd.Timedelta(days=1))] = HOLIDAY_FACTORS["november_ramp"]
        holiday[in_(bf, bf + pd.Timedelta(days=3))] = HOLIDAY_FACTORS["black_friday_to_cyber_monday"]
        holiday[in_(pd.Timestamp(f"{year}-12-01"), pd.Timestamp(f"{year}-12-20"))] = HOLIDAY_FACTORS["december_1_to_20"]
        holiday[in_(pd.Timestamp(f"{year}-12-24"), pd.Timestamp(f"{year}-12-26"))] = HOLIDAY_FACTORS["christmas_24_to_26"]
        gift |= in_(pd.Timestamp(f"{year}-{GIFT_WINDOW[0]}"), pd.Timestamp(f"{year}-{GIFT_WINDOW[1]}"))
    return np.asarray(weekday * yearly * holiday, dtype=float), gift


def _daily_calendar(promos: pd.DataFrame) -> pd.DataFrame:
    days = _days()
    cal = pd.DataFrame({"date": days})
    season, gift = _season_factors(days, END.year)
    cal["season"] = season / season.mean()
    cal["discount"] = 0.0
    for p in promos.itertuples():
        cal.loc[(cal.date >= p.start_date) & (cal.date <= p.end_date), "discount"] = p.discount
    cal["promo"] = cal["discount"] > 0
    cal["gift"] = gift
    return cal


# --------------------------------------------------------------------------- catalogue
def _products(rng: np.random.Generator):
    cats = list(CATEGORIES)
    styles = list(STYLES)
    cat_centroid = rng.normal(0, 1.0, (len(cats), N_FACTORS))
    style_centroid = rng.normal(0, 0.8, (len(styles), N_FACTORS))
    n_per_cat = 25
    rows, vecs = [], []
    used_names: set[str] = set()
    for ci, cat in enumerate(cats):
        median, nouns, tags = CATEGORIES[cat]
        for _ in range(n_per_cat):
            si = int(rng.integers(len(styles)))
            style = styles[si]
            while True:
                name = f"{COLLECTIONS[rng.integers(len(COLLECTIONS))]} {nouns[rng.integers(len(nouns))]}"
                if name not in used_names:
                    used_names.add(name)
                    break
            price = max(4.99, float(np.round(median * np.exp(rng.normal(0, 0.45)))) - 0.01)
            words = [*rng.choice(tags, 2, replace=False), *rng.choice(STYLES[style], 2, replace=False),
                     name.split()[-1].lower()]
            rows.append(dict(category=cat, style=style, name=name, price=round(price, 2),
                             description=" ".join(words)))
            vecs.append(cat_centroid[ci] + style_centroid[si] + rng.normal(0, 0.3, N_FACTORS))
    products = pd.DataFrame(rows)
    products.insert(0, "product_id", [f"P{i + 1:04d}" for i in range(len(products))])
    brand_of_cat = {c: rng.choice(BRANDS, 2, replace=False) for c in cats}
    products["brand"] = [brand_of_cat[c][rng.integers(2)] for c in products.category]
    popularity = rng.normal(0, 0.8, len(products))
    factors = np.vstack(vecs)
    return products, factors, popularity, style_centroid


# --------------------------------------------------------------------------- acquisition
def _marketing(rng: np.random.Generator, n_customers: int):
    weeks = pd.date_range(START, END, freq="W-SUN")  # 2023-01-01 is a Sunday
    n_weeks = len(weeks)
    days_in_week = np.minimum(7, np.asarray((END - weeks).days) + 1)
    frac = days_in_week / 7.0  # the last week has only 3 days inside the window
    mid = weeks + pd.Timedelta(days=3)
    doy = np.asarray(mid.day_of_year)
    month, day = np.asarray(mid.month), np.asarray(mid.day)
    peak = ((month == 11) & (day >= 10)) | ((month == 12) & (day <= 22))
    season = (1 + 0.15 * np.cos(2 * np.pi * (doy - YEARLY_PEAK_DAY) / 365.25)) * np.where(peak, 1.5, 1.0)
    shapes = {}
    # Paid search follows demand closely (so it is collinear with season: a VIF lesson);
    # display runs in on/off flights; social and affiliate are noisy but steady.
    shapes["paid_search"] = 1.0 * season ** 1.2 * np.exp(rng.normal(0, 0.18, n_weeks))
    flights = np.repeat(rng.random(n_weeks // 4 + 1) < 0.65, 4)[:n_weeks]
    shapes["display"] = 1.1 * np.where(flights, 1.0, 0.08) * np.exp(rng.normal(0, 0.25, n_weeks))
    shapes["social"] = 0.8 * season ** 0.5 * np.exp(rng.normal(0, 0.4, n_weeks))
    shapes["affiliate"] = 0.35 * np.exp(rng.normal(0, 0.35, n_weeks))
    paid_expected = sum(shapes[c] / CPA[c] for c in CHANNELS)
    scale = (1 - ORGANIC_SHARE) * n_customers / float((paid_expected * frac).sum())
    spend = {c: np.round(shapes[c] * scale * frac, 2) for c in CHANNELS}
    organic_weekly = ORGANIC_SHARE * n_customers / float((season * frac).sum())
    expected = {c: spend[c] / CPA[c] for c in CHANNELS}
    expected["organic"] = organic_weekly * season * frac
    ms = pd.DataFrame([(w, c, spend[c][i]) for i, w in enumerate(weeks) for c in CHANNELS],
                      columns=["week_start", "channel", "spend"])
    acq = pd.DataFrame([(w, c, expected[c][i]) for i, w in enumerate(weeks)
                        for c in [*CHANNELS, "organic"]],
                       columns=["week_start", "channel", "expected_new_customers"])
    # Poisson counts conditioned on the total n_customers = multinomial over cells.
    probs = acq["expected_new_customers"].to_numpy()
    acq["new_customers"] = rng.multinomial(n_customers, probs / probs.sum())
    params = dict(organic_weekly_base=organic_weekly, spend_scale=scale,
                  spend_season="(1 + 0.15 cos(2 pi (doy - 15)/365.25)) x 1.5 from Nov 10 to Dec 22")
    return ms, acq, params


# --------------------------------------------------------------------------- customers
def _customers(rng, acq, cal, products, prod_factors, popularity, style_centroid, life_mult=None):
    personas = list(PERSONAS)
    base_share = np.array([PERSONAS[p]["share"] for p in personas])
    rows = acq.loc[acq.new_customers > 0, ["week_start", "channel", "new_customers"]]
    week_start = np.repeat(rows.week_start.to_numpy(), rows.new_customers)
    channel = np.repeat(rows.channel.to_numpy(), rows.new_customers)
    n = len(week_start)
    days_left = ((END - pd.DatetimeIndex(week_start)).days + 1).to_numpy()
    offset = np.floor(rng.random(n) * np.minimum(7, days_left)).astype(int)
    signup = pd.DatetimeIndex(week_start) + pd.to_timedelta(offset, unit="D")
    order = np.lexsort((channel, signup.values))
    signup, channel = signup[order], channel[order]
    persona_idx = np.empty(n, dtype=int)
    for ch in np.unique(channel):
        w = base_share * np.array([CHANNEL_PERSONA_TILT[ch].get(p, 1.0) for p in personas])
        m = channel == ch
        persona_idx[m] = rng.choice(len(personas), m.sum(), p=w / w.sum())
    par = {k: np.array([PERSONAS[p][k] for p in personas])[persona_idx]
           for k in ["rate", "lines", "qty", "price_beta", "promo", "holiday", "life",
                     "age_mean", "age_sd"]}
    age = np.clip(np.round(rng.normal(par["age_mean"], par["age_sd"])), 18, 85).astype(int)
    region = rng.choice(list(REGIONS), n, p=np.array(list(REGIONS.values())))
    first = rng.choice(FIRST_NAMES, n)
    last = rng.choice(LAST_NAMES, n)
    num = rng.integers(1, 100, n)
    email = pd.Series([f"{a}.{b}{c}" for a, b, c in zip(first, last, num, strict=True)])
    dup = email.groupby(email).cumcount()
    email = email.where(dup == 0, email + "_" + dup.astype(str)) + "@example.com"
    customers = pd.DataFrame({
        "customer_id": [f"C{i + 1:05d}" for i in range(n)],
        "signup_date": signup,
        "region": region,
        "age": age,
        "acquisition_channel": channel,
        "email": email.to_numpy(),
    })
    # Latent taste: persona mean (style leaning) + individual noise.
    persona_taste = rng.normal(0, 0.5, (len(personas), N_FACTORS))
    persona_taste[personas.index("holiday_gifter")] += 0.6 * style_centroid[list(STYLES).index("vintage")]
    persona_taste[personas.index("big_spender")] += 0.6 * style_centroid[list(STYLES).index("modern")]
    taste = persona_taste[persona_idx] + rng.normal(0, 0.75, (n, N_FACTORS))
    signup_day = ((signup - START).days).to_numpy()
    life = par["life"] if life_mult is None else par["life"] * life_mult  # v2: satisfaction
    life_days = np.floor(rng.exponential(life)).astype(int)
    churn_day = signup_day + life_days + 1  # first day with no activity
    latent = dict(persona_idx=persona_idx, par=par, taste=taste, signup_day=signup_day,
                  churn_day=churn_day, life=np.asarray(life, dtype=float))
    return customers, latent


def _choice_probs(taste, price_beta, prod_factors, popularity, log_price):
    score = taste @ prod_factors.T + popularity + np.outer(price_beta, log_price - log_price.mean())
    score -= score.max(axis=1, keepdims=True)
    p = np.exp(score)
    return p / p.sum(axis=1, keepdims=True)


# --------------------------------------------------------------------------- orders
def _orders(rng, customers, latent, cal, products, prod_factors, popularity, chunk=4000):
    n, n_days = len(customers), len(cal)
    season = cal["season"].to_numpy()
    promo = cal["promo"].to_numpy()
    gift = cal["gift"].to_numpy()
    disc = cal["discount"].to_numpy()
    price = products["price"].to_numpy()
    log_price = np.log(price)
    par = latent["par"]
    day_idx = np.arange(n_days)
    first_disc = np.where(customers["acquisition_channel"].to_numpy() == "affiliate",
                          AFFILIATE_FIRST_ORDER_DISCOUNT, 0.0)
    expected_rev = np.zeros(n_days)
    expected_orders = np.zeros(n_days)
    p_buy = {TRAIN_CUTOFF: np.full(n, np.nan), TEST_CUTOFF: np.full(n, np.nan)}
    lines_cust, lines_day, lines_prod, lines_qty, lines_order = [], [], [], [], []
    order_counter = 0
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sl = slice(lo, hi)
        probs = _choice_probs(latent["taste"][sl], par["price_beta"][sl], prod_factors,
                              popularity, log_price)
        ev_unit = probs @ price  # expected list price of one unit
        ev_order = ev_unit * (1 + par["lines"][sl]) * (1 + par["qty"][sl])
        base = (par["rate"][sl] / 365.0)[:, None] * season[None, :]
        base = base * np.where(promo[None, :], par["promo"][sl][:, None], 1.0)
        base = base * np.where(gift[None, :], par["holiday"][sl][:, None], 1.0)
        s_day = latent["signup_day"][sl][:, None]
        c_day = latent["churn_day"][sl][:, None]
        alive = (day_idx[None, :] > s_day) & (day_idx[None, :] < c_day)
        lam = base * alive
        counts = rng.poisson(lam)
        # Oracle: expected revenue per day given the latent state (first orders included).
        expected_rev += (lam * ev_order[:, None]).sum(0) * (1 - disc)
        expected_orders += lam.sum(0)
        sd = latent["signup_day"][sl]
        np.add.at(expected_rev, sd, ev_order * (1 - np.maximum(disc[sd], first_disc[sl])))
        np.add.at(expected_orders, sd, 1.0)
        # Oracle: P(at least one order in the 90 days after each cut-off | latent state).
        life = par["life"][sl]
        for cutoff, out in p_buy.items():
            c = (cutoff - START).days
            window = slice(c + 1, c + 1 + CHURN_HORIZON_DAYS)
            lam_w = base[:, window]
            cum = np.concatenate([np.zeros((hi - lo, 1)), np.cumsum(lam_w, axis=1)], axis=1)
            k = np.arange(CHURN_HORIZON_DAYS + 1)
            a = np.exp(-k[None, :] / life[:, None])  # P(alive on day cutoff + k | alive at cutoff)
            p_last = np.concatenate([a[:, :-1] - a[:, 1:], a[:, -1:]], axis=1)
            p_none = (p_last * np.exp(-cum)).sum(1)
            alive_at_cut = latent["churn_day"][sl] > c
            joined = latent["signup_day"][sl] <= c
            out[sl] = np.where(joined, np.where(alive_at_cut, 1 - p_none, 0.0), np.nan)
        # Realise orders: the forced first order plus the Poisson repeat orders.
        ci, di = np.nonzero(counts)
        reps = counts[ci, di]
        o_cust = np.concatenate([np.arange(lo, hi), np.repeat(ci + lo, reps)])
        o_day = np.concatenate([sd, np.repeat(di, reps)])
        n_orders = len(o_cust)
        n_lines = 1 + rng.poisson(par["lines"][o_cust])
        l_cust = np.repeat(o_cust, n_lines)
        l_order = np.repeat(np.arange(order_counter, order_counter + n_orders), n_lines)
        cum_p = np.cumsum(probs, axis=1)
        u = rng.random(len(l_cust))
        l_prod = (cum_p[l_cust - lo] < u[:, None]).sum(1)
        l_prod = np.minimum(l_prod, len(price) - 1)
        l_qty = 1 + rng.poisson(par["qty"][l_cust])
        lines_cust.append(l_cust)
        lines_day.append(np.repeat(o_day, n_lines))
        lines_prod.append(l_prod)
        lines_qty.append(l_qty)
        lines_order.append(l_order)
        order_counter += n_orders
    lines = pd.DataFrame({
        "tmp_order": np.concatenate(lines_order), "cust": np.concatenate(lines_cust),
        "day": np.concatenate(lines_day), "prod": np.concatenate(lines_prod),
        "quantity": np.concatenate(lines_qty),
    })
    # The same product twice in one basket is one line with a larger quantity.
    lines = lines.groupby(["tmp_order", "cust", "day", "prod"], as_index=False, sort=False)["quantity"].sum()
    lines = lines.sort_values(["day", "cust", "tmp_order", "prod"], kind="stable").reset_index(drop=True)
    order_rank = lines["tmp_order"].ne(lines["tmp_order"].shift()).cumsum()
    lines["order_id"] = [f"O{k:06d}" for k in order_rank]
    lines["order_date"] = START + pd.to_timedelta(lines["day"], unit="D")
    lines["customer_id"] = customers["customer_id"].to_numpy()[lines["cust"]]
    lines["product_id"] = products["product_id"].to_numpy()[lines["prod"]]
    lines["unit_price"] = price[lines["prod"]]
    first_order_of = lines.groupby("cust")["tmp_order"].transform("min")
    is_first = (lines["tmp_order"] == first_order_of).to_numpy()
    promo_disc = disc[lines["day"]]
    lines["discount"] = np.where(is_first, np.maximum(promo_disc, first_disc[lines["cust"]]), promo_disc)
    lines["revenue"] = order_revenue(lines["quantity"], lines["unit_price"], lines["discount"])
    orders = lines[["order_id", "order_date", "customer_id", "product_id", "quantity",
                    "unit_price", "discount", "revenue"]].reset_index(drop=True)
    edr = pd.DataFrame({"date": cal["date"], "expected_orders": expected_orders,
                        "expected_revenue": expected_rev})
    return orders, edr, p_buy


def order_revenue(quantity, unit_price, discount):
    """Revenue of an order line, rounded to cents: round(quantity x unit_price x (1 - discount), 2).

    Parameters
    ----------
    quantity, unit_price, discount : number or 1-D array-like of numbers
        All three scalars (one line) or all three of one length; ``discount`` is a fraction
        in [0, 1].

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> float(order_revenue(2, 19.99, 0.15))
    33.98
    """
    if all(np.ndim(x) == 0 for x in (quantity, unit_price, discount)):
        q = check_real(quantity, "quantity")
        p = check_real(unit_price, "unit_price")
        d = check_real(discount, "discount", low=0, high=1)
        return np.round(q * p * (1 - d), 2)
    q = check_1d(quantity, "quantity")
    p = check_1d(unit_price, "unit_price", length=len(q))
    d = check_1d(discount, "discount", length=len(q), low=0, high=1)
    return np.round(q * p * (1 - d), 2)


# --------------------------------------------------------------------------- experiment
def _ab_test(rng):
    cfg = AB_TEST
    n = cfg["n_visitors"]
    variant = np.where(rng.random(n) < 0.5, "control", "treatment")
    r, m = cfg["sessions_dispersion"], cfg["sessions_mean"]
    sessions = rng.negative_binomial(r, r / (r + m), n)
    tilt = (1 + sessions) / (1 + m)  # E[tilt] = 1, so the average rate is the true rate
    p = np.where(variant == "control", cfg["p_control"], cfg["p_treatment"]) * tilt
    converted = rng.random(n) < p
    centre = np.log1p(sessions) - np.log1p(m)
    mu = np.log(cfg["revenue_median"]) + cfg["revenue_session_slope"] * centre
    revenue = np.where(converted, np.round(np.exp(rng.normal(mu, cfg["revenue_sigma"])), 2), 0.0)
    ab = pd.DataFrame({"visitor_id": [f"V{i + 1:06d}" for i in range(n)], "variant": variant,
                       "pre_period_sessions": sessions, "converted": converted.astype(int),
                       "revenue": revenue})
    # Exact population means, summing over the sessions distribution (no sampling noise).
    s = np.arange(0, 2000)
    from scipy.stats import nbinom  # local: keeps `import mkt_lessons.synth` light
    pmf = nbinom.pmf(s, r, r / (r + m))
    t = (1 + s) / (1 + m)
    mean_conv_rev = np.exp(np.log(cfg["revenue_median"]) + cfg["revenue_session_slope"]
                           * (np.log1p(s) - np.log1p(m)) + cfg["revenue_sigma"] ** 2 / 2)
    truth = dict(cfg)
    for arm in ["control", "treatment"]:
        pa = cfg[f"p_{arm}"]
        truth[f"conversion_rate_{arm}"] = float((pmf * pa * t).sum())
        truth[f"revenue_per_visitor_{arm}"] = float((pmf * pa * t * mean_conv_rev).sum())
        truth[f"revenue_per_converter_{arm}"] = float((pmf * t * mean_conv_rev).sum() / (pmf * t).sum())
    truth["relative_lift"] = cfg["p_treatment"] / cfg["p_control"] - 1
    return ab, truth


# --------------------------------------------------------------------------- defects
def _fmt_money(x: float, fancy: bool) -> str:
    return f"${x:,.2f}" if fancy else f"{x:.2f}"


def _inject_defects(rng, orders: pd.DataFrame, order_num: np.ndarray | None = None, ids: dict | None = None):
    """Return orders_raw (all strings, as a messy export) and the count of every defect.

    ``order_num`` (optional) is the number in each order id, ``order_id == "O%06d" % order_num``;
    with it, ids are grouped and sorted as numbers (fast at a million customers), giving the
    same table as comparing the strings. ``ids`` (optional) holds the order, customer and
    product id columns as object arrays (spares re-creating every string when pandas stores
    the table's text in Arrow).
    """
    ids = ids or {}
    n = len(orders)
    counts: dict[str, int] = {k: max(1, int(round(r * n))) for k, r in DEFECT_RATES.items()}
    raw_oid = _text(orders, "order_id", ids)
    codes = pd.factorize(raw_oid)[0] if order_num is None else np.asarray(order_num, dtype=np.int64)
    order_sizes = np.bincount(codes)[codes] if n else np.zeros(0, dtype=np.int64)
    # Disjoint source lines for each defect kind; returns must fit before END.
    pool = rng.permutation(n)
    can_return = (orders["order_date"] <= END - pd.Timedelta(days=30)).to_numpy()
    multi_line = order_sizes > 1
    take = {}
    used = np.zeros(n, dtype=bool)
    for kind, cond in [("missing_customer_id_filled", multi_line), ("return_lines", can_return),
                       ("price_typos_x100", None), ("exact_duplicate_rows", None),
                       ("duplicate_order_lines", None), ("missing_product_id_lines", None)]:
        # The first lines of the permutation that qualify; a prefix of it holds them (looked
        # at in growing prefixes: the same rows as scanning it all).
        size = 4 * counts[kind] + 1000
        while True:
            head = pool[:size]
            ok = ~used[head] if cond is None else (~used[head] & cond[head])
            cand = head[ok]
            if kind == "missing_customer_id_filled":  # at most one blank per order
                first = _first_of_each(codes[cand], counts[kind])
                done = len(first) >= counts[kind]
                chosen = cand[first]
            else:
                done = len(cand) >= counts[kind]
                chosen = cand[: counts[kind]]
            if done or size >= n:
                break
            size *= 4
        used[chosen] = True
        take[kind] = chosen

    raw_cid = _text(orders, "customer_id", ids)
    raw_pid = _text(orders, "product_id", ids)
    day = orders["order_date"].to_numpy()
    q_arr = orders["quantity"].to_numpy()
    p_arr = orders["unit_price"].to_numpy()
    d_arr = orders["discount"].to_numpy()
    r_arr = orders["revenue"].to_numpy()
    fmts = list(DATE_FORMATS)
    date_fmt = rng.choice(len(fmts), n, p=list(DATE_FORMATS.values()))
    money_fancy = rng.random(n) < MONEY_STRING_RATE
    pct = rng.random(n) < PERCENT_DISCOUNT_RATE
    messy_c = rng.random(n) < MESSY_ID_RATE
    messy_p = rng.random(n) < MESSY_ID_RATE
    typo = np.zeros(n, dtype=bool)
    typo[take["price_typos_x100"]] = True

    # Every clean line rendered as text, column by column: each distinct date, number and
    # amount is formatted once (the same text as a row-by-row rendering, and the same random
    # draws in the same order).
    day_code, day_uniq = pd.factorize(day)
    date_tab = np.vstack([_date_text(pd.DatetimeIndex(day_uniq), f) for f in fmts]) if n else np.zeros((len(fmts), 0), object)
    date_col = date_tab[date_fmt, day_code]
    price = np.where(typo, p_arr * 100, p_arr)
    rev = r_arr.astype(float).copy()
    if typo.any():
        rev[typo] = np.round(q_arr[typo].astype(float) * price[typo] * (1 - d_arr[typo].astype(float)), 2)
    # Messy ids: one draw per messy cell, row by row, customer before product.
    ev_row = np.concatenate([np.flatnonzero(messy_c), np.flatnonzero(messy_p)])
    ev_col = np.concatenate([np.zeros(int(messy_c.sum()), dtype=int), np.ones(int(messy_p.sum()), dtype=int)])
    ev = np.lexsort((ev_col, ev_row))
    kinds = rng.integers(3, size=len(ev))
    cid_col = raw_cid.copy()
    pid_col = raw_pid.copy()
    for col, src in [(0, cid_col), (1, pid_col)]:
        sel = ev[ev_col[ev] == col]
        rows, kk = ev_row[sel], kinds[np.flatnonzero(ev_col[ev] == col)]
        src[rows] = [_MESS[k](v) for k, v in zip(kk, src[rows], strict=True)]
    disc_col = _format_each(d_arr, lambda d: f"{d:.2f}")
    as_pct = pct & (d_arr > 0)
    disc_col[as_pct] = _format_each(d_arr[as_pct], lambda d: f"{d * 100:.0f}%")
    cid_col[take["missing_customer_id_filled"]] = ""
    out = [raw_oid, date_col, cid_col, pid_col, _format_each(q_arr, lambda q: str(int(q))),
           _money_text(price, money_fancy), disc_col, _money_text(rev, money_fancy)]
    changed = dict(
        money_as_string_rows=int(money_fancy.sum()),
        discount_as_percent_rows=int(as_pct.sum()),
        date_format_rows={fmts[k]: int((date_fmt == k).sum()) for k in range(len(fmts))},
        messy_customer_id_rows=int(messy_c.sum()),
        messy_product_id_rows=int(messy_p.sum()),
    )
    extra, extra_num = [], []
    for i in take["exact_duplicate_rows"]:
        extra.append([c[i] for c in out])
    others = [(date_fmt[i] + 1 + rng.integers(len(fmts) - 1)) % len(fmts) for i in take["duplicate_order_lines"]]
    for i, other in zip(take["duplicate_order_lines"], others, strict=True):  # re-exported in another format
        fancy, d = not money_fancy[i], d_arr[i]
        extra.append([raw_oid[i], date_tab[other, day_code[i]], raw_cid[i], raw_pid[i], str(int(q_arr[i])),
                      _fmt_money(p_arr[i], fancy), (f"{d * 100:.0f}%" if pct[i] and d > 0 else f"{d:.2f}"),
                      _fmt_money(float(r_arr[i]), fancy)])
    shifts = [int(rng.integers(3, 31)) for _ in take["return_lines"]]
    for i, k in zip(take["return_lines"], shifts, strict=True):
        when = (day[i] + np.timedelta64(k, "D")).astype("datetime64[D]")
        extra.append([raw_oid[i], str(when), raw_cid[i], raw_pid[i],
                      str(-int(q_arr[i])), _fmt_money(p_arr[i], False), f"{d_arr[i]:.2f}",
                      _fmt_money(-float(r_arr[i]), False)])
    for i in take["missing_product_id_lines"]:
        row = [c[i] for c in out]
        row[3] = ""
        extra.append(row)
    if order_num is not None:
        extra_num = [codes[take[k]] for k in ["exact_duplicate_rows", "duplicate_order_lines",
                                             "return_lines", "missing_product_id_lines"]]
    test_lines = 0
    for k in range(TEST_ORDERS):
        when = START + pd.Timedelta(days=int(rng.integers(0, (END - START).days + 1)))
        for _ in range(int(1 + rng.integers(0, 4))):
            extra.append([f"O9{k + 1:05d}", when.strftime("%Y-%m-%d"), f"TEST{k % 3 + 1:02d}",
                          f"P{int(rng.integers(1, 201)):04d}", "1", "0.01", "0.00", "0.01"])
            extra_num.append(np.array([900000 + k + 1]))
            test_lines += 1
    counts["test_order_lines"] = test_lines
    cols = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price", "discount",
            "revenue"]
    extra_arr = np.array(extra, dtype=object).reshape(-1, len(cols))
    del date_col, cid_col, pid_col, disc_col
    # Sorted by order id (stable), then rows of one order shuffled so that injected rows
    # are not always last.
    if order_num is None:
        ids = np.concatenate([raw_oid, extra_arr[:, 0]])
        first = np.argsort(ids, kind="stable")
        keys = ids[first]
        del ids
    else:
        key = _id_sort_key(np.concatenate([codes, *extra_num]))
        first = np.argsort(key, kind="stable")
        keys = key[first]
        del key
    perm = first[_shuffle_within(keys, rng)]
    del first, keys
    block = np.empty((len(cols), len(perm)), dtype=object)  # one column at a time: no second copy
    is_extra = np.flatnonzero(perm >= n)
    src = perm.copy()
    src[is_extra] = 0
    for j in range(len(cols)):
        if n:
            np.take(np.asarray(out[j], dtype=object), src, out=block[j])
        block[j, is_extra] = extra_arr[perm[is_extra] - n, j]
        out[j] = None
    raw_df = pd.DataFrame(block.T, columns=cols, dtype=object, copy=False)
    defects = dict(removed={k: counts[k] for k in ["exact_duplicate_rows", "duplicate_order_lines",
                                                    "return_lines", "missing_product_id_lines",
                                                    "test_order_lines"]},
                   repaired={k: counts[k] for k in ["missing_customer_id_filled", "price_typos_x100"]},
                   reformatted=changed, raw_rows=len(raw_df), clean_rows=n)
    return raw_df, defects


def _first_of_each(codes: np.ndarray, k: int) -> np.ndarray:
    """Positions of the first ``k`` first occurrences in ``codes``: ``np.sort(np.unique(codes,
    return_index=True)[1])[:k]``, looking only at a prefix long enough to hold them."""
    size = 4 * k + 1000
    while True:
        _, first = np.unique(codes[:size], return_index=True)
        if len(first) >= k or size >= len(codes):
            return np.sort(first)[:k]
        size *= 4

def _text(df: pd.DataFrame, col: str, given: dict) -> np.ndarray:
    """Column ``col`` as an object array: ``given[col]`` if there, else from ``df``."""
    return np.asarray(given[col], dtype=object) if col in given else df[col].to_numpy(dtype=object)


def _id_sort_key(num: np.ndarray) -> np.ndarray:
    """Integers that sort like the strings ``"%06d" % num`` (lexicographically, as text).

    Strings of digits sort like the numbers right-padded with zeros to a common width,
    the shorter string first on a tie.
    """
    num = np.asarray(num, dtype=np.int64)
    top = max(6, len(str(int(num.max())))) if len(num) else 6
    width = np.full(len(num), 6, dtype=np.int64)
    for w in range(7, top + 1):
        width[num >= 10 ** (w - 1)] = w
    return num * 10 ** (top - width) * 32 + width


def _format_each(values: np.ndarray, fmt) -> np.ndarray:
    """``[fmt(v) for v in values]`` as an object array, calling ``fmt`` once per distinct value."""
    values = np.asarray(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    table = np.array([fmt(v) for v in np.asarray(uniques).tolist()] + [""], dtype=object)
    out = table[codes]
    if values.dtype.kind == "f":  # 0.0 and -0.0 are one value to factorize, two texts
        zero = values == 0
        if zero.any():
            neg = zero & np.signbit(values)
            out[zero & ~neg] = fmt(0.0)
            out[neg] = fmt(-0.0)
    return out


_MESS = [lambda s: f" {s}", lambda s: s.lower(), lambda s: f"{s}  "]  # stray space, lower case, trailing


def _date_text(dates: pd.DatetimeIndex, fmt: str) -> np.ndarray:
    if fmt == "%Y-%m-%d":  # the common case, fast
        return np.datetime_as_string(dates.to_numpy().astype("datetime64[D]"), unit="D").astype(object)
    return np.asarray(dates.strftime(fmt), dtype=object)


def _money_text(x: np.ndarray, fancy: np.ndarray) -> np.ndarray:
    out = _format_each(x, lambda v: f"{v:.2f}")
    if fancy.any():
        out[fancy] = _format_each(x[fancy], lambda v: f"${v:,.2f}")
    return out


def _shuffle_within(keys: np.ndarray, rng) -> np.ndarray:
    """A permutation that sorts by ``keys`` and shuffles rows with equal keys.

    That is ``np.lexsort((noise, codes))``. Fast path: a uniform draw is a multiple of
    2**-53, so the group code and the noise's leading bits fit one int64 key; when no two
    rows of a group share those bits the keys are distinct and one sort gives the same
    permutation (otherwise the lexsort itself runs).
    """
    noise = rng.random(len(keys))
    keys = np.asarray(keys)
    if keys.dtype.kind in "iu" and len(keys) and (keys[1:] >= keys[:-1]).all():
        codes = np.concatenate([[0], np.cumsum(keys[1:] != keys[:-1])])  # sorted: codes are ranks
    else:
        codes = pd.factorize(keys, sort=True)[0]  # integer codes in key order: a faster lexsort
    bits = 62 - int(codes.max()).bit_length() if len(codes) else 0
    if bits >= 20:
        lead = (noise * 2.0 ** 53).astype(np.int64) >> (53 - bits)
        combined = (codes.astype(np.int64) << bits) | lead
        order = np.argsort(combined)
        ranked = combined[order]
        if not (ranked[1:] == ranked[:-1]).any():
            return order
    return np.lexsort((noise, codes))


# =========================================================================== data v2
# Version 2 adds a randomised retention offer, media carry-over and saturation, product
# reviews and the 2025 future (issue 15). ``generate(version=2)`` builds it; version 1 (the
# default until the lessons move) is untouched, byte for byte.
FUTURE_END = pd.Timestamp("2025-12-31")  # v2: the same customers continue through 2025
COGS_SHARE = 0.5  # cost of goods = 50% of list price: margin = revenue - 0.5 x quantity x unit_price
SATISFACTION_CHURN = 0.3  # mean lifetime x exp(0.3 x satisfaction); satisfaction ~ N(0, 1)

RETENTION = dict(
    assigned_at="2024-04-02",  # e-mail sent in the morning: the outcome window starts that day
    window_days=60,  # outcome window: assigned_at .. assigned_at + 59 (ends 2024-05-31)
    eligibility_days=365,  # eligible: signed up before and ordered in the 365 days before
    treatment_share=1 / 3,
    voucher_discount=0.15,  # on the first order inside the window (no promotion runs then)
    boost_noise_sd=0.5,  # individual offer response: persona boost x lognormal(0, 0.5)
    sleeping_dog_rate_loyal=0.10,  # share of loyal regulars annoyed by vouchers ...
    sleeping_dog_rate_other=0.02,  # ... and of everybody else
    sleeping_dog_extra_life_days=10.0,  # a treated sleeping dog's extra churn hazard = 1/10 per day
    sure_thing_p_control=0.8,  # segment rule: alive and P(buy | control) >= 0.8
)
# The voucher adds purchase intensity boost/60 per day during the window (if alive): about
# ``boost`` extra orders, whatever the customer's own rate - so it moves P(buy) most for
# lapsing (low-rate) customers and barely for sure things, whose voucher mostly costs margin.
OFFER_BOOST = {"loyal_regular": 0.05, "big_spender": 0.4, "bargain_hunter": 1.0,
               "one_time_buyer": 0.8, "holiday_gifter": 0.6}

# Paid media lift existing customers' repeat-purchase intensity by the factor
# 1 + sum_c max_lift_c x hill(adstock_c), weekly; adstock_t = spend_t + decay x adstock_{t-1};
# hill(a) = a^shape / (a^shape + K^shape) with K = half_saturation x the channel's mean adstock.
MEDIA = {
    "paid_search": dict(decay=0.30, half_saturation=0.9, shape=1.8, max_lift=0.16),
    "social": dict(decay=0.60, half_saturation=1.2, shape=1.0, max_lift=0.12),
    "display": dict(decay=0.75, half_saturation=1.5, shape=1.5, max_lift=0.12),
    "affiliate": dict(decay=0.10, half_saturation=0.7, shape=1.2, max_lift=0.04),
}

REVIEWS = dict(
    base_rate=0.06,  # P(review | order line) = base_rate x (0.6 + 0.5 |satisfaction|)
    sentiment="0.35 + 0.7 satisfaction + 0.6 product quality + N(0, 0.6)",
    product_quality_sd=0.5,
    aspect_noise_sd=0.8,  # aspect polarity = sign(sentiment + N(0, 0.8))
    rating_noise_sd=0.55,  # rating = cut(sentiment + N(0, 0.55), rating_cuts)
    rating_cuts=[-1.2, -0.45, 0.2, 0.8],
    negation_rate={"negative": 0.25, "positive": 0.12},
    typo_rate=0.03,  # per word of 4+ letters
    delay_days="3 + Poisson(6) after the order; reviews after 2024-12-31 are not in the data",
)
ASPECTS = {
    # aspect: (subjects, positive words, negative words)
    "quality": (["the quality", "the build", "the material", "it"],
                ["sturdy", "well made", "solid", "durable", "excellent quality"],
                ["flimsy", "cheaply made", "fragile", "poor quality", "scratched"]),
    "delivery": (["delivery", "shipping", "the parcel"],
                 ["fast", "quick", "on time", "well packed"],
                 ["slow", "late", "delayed", "badly packed"]),
    "value": (["the price", "it", "this one"],
              ["worth it", "good value", "a bargain", "fairly priced"],
              ["overpriced", "too expensive", "poor value", "a rip-off"]),
    "design": (["the design", "the colour", "the look", "the style"],
               ["beautiful", "lovely", "stylish", "elegant", "gorgeous"],
               ["ugly", "dull", "cheap looking", "boring"]),
    "service": (["customer service", "the support team", "the staff"],
                ["helpful", "friendly", "responsive", "great"],
                ["unhelpful", "rude", "slow to reply", "useless"]),
    "size_fit": (["the size", "the fit", "the dimensions"],
                 ["perfect", "just right", "as described", "spot on"],
                 ["too small", "too big", "smaller than described", "wrong"]),
}
ASPECT_WEIGHTS = {  # how often a review talks about each aspect, by category
    "default": dict(quality=3, delivery=2, value=2, design=2, service=1, size_fit=1),
    "bedding": dict(size_fit=3), "furniture": dict(quality=4, delivery=3, size_fit=2),
    "decor": dict(design=4), "lighting": dict(design=3, quality=3),
}
INTENSIFIERS = ["very", "really", "extremely", "super", "incredibly"]
HEDGES = ["a bit", "kind of", "somewhat", "fairly", "quite"]
SENTENCE_HEDGES = ["I think", "I guess", "To be honest,", "Overall", "Honestly,"]
OPENERS = {"pos": ["Love it!", "Great purchase.", "Really happy with this.", "Delighted.",
                   "Exactly what I wanted."],
           "neg": ["Disappointed.", "Would not recommend.", "Not happy.", "What a letdown.",
                   "Returned it."],
           "mid": ["It's okay.", "Mixed feelings.", "Does the job.", "Not bad overall."]}
CLOSERS = {"pos": ["Would buy again.", "Highly recommend.", "Will order more."],
           "neg": ["Never again.", "Save your money.", "Asked for a refund."],
           "mid": ["Might buy again.", "We'll see how it lasts."]}


def _calendar_v2() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily calendar 2023-01-01 .. 2025-12-31 and its promotions.

    Seasonality is normalised by its mean over the data window (2023-2024), as in version
    1, so 2025 intensities are on the same scale.
    """
    days = pd.date_range(START, FUTURE_END, freq="D")
    promos = constants.promotions_calendar(START, FUTURE_END)
    season, gift = _season_factors(days, FUTURE_END.year)
    n_obs = (END - START).days + 1
    cal = pd.DataFrame({"date": days, "season": season / season[:n_obs].mean()})
    disc = np.zeros(len(days))
    for p in promos.itertuples():
        disc[(days >= p.start_date) & (days <= p.end_date)] = p.discount
    cal["discount"] = disc
    cal["promo"] = disc > 0
    cal["gift"] = gift
    observed = promos[promos["start_date"] <= END].reset_index(drop=True)
    return cal, observed


def _dark_runs(rng, n_weeks: int, allowed: np.ndarray, n_runs: int, length: int) -> np.ndarray:
    """A boolean mask of ``n_runs`` non-overlapping dark runs of ``length`` weeks inside ``allowed``."""
    dark = np.zeros(n_weeks, dtype=bool)
    starts = [w for w in range(n_weeks - length) if allowed[w:w + length].all()]
    for _ in range(n_runs):
        ok = [w for w in starts if not dark[max(0, w - 2):w + length + 2].any()]
        w = ok[int(rng.integers(len(ok)))]
        dark[w:w + length] = True
    return dark


def _marketing_v2(rng: np.random.Generator, n_customers: int):
    """Weekly spend with flights, dark weeks and budget shifts; acquisition linear in spend."""
    weeks = pd.date_range(START, END, freq="W-SUN")
    n_weeks = len(weeks)
    days_in_week = np.minimum(7, np.asarray((END - weeks).days) + 1)
    frac = days_in_week / 7.0
    mid = weeks + pd.Timedelta(days=3)
    doy = np.asarray(mid.day_of_year)
    month, day = np.asarray(mid.month), np.asarray(mid.day)
    peak = ((month == 11) & (day >= 10)) | ((month == 12) & (day <= 22))
    season = (1 + 0.15 * np.cos(2 * np.pi * (doy - YEARLY_PEAK_DAY) / 365.25)) * np.where(peak, 1.5, 1.0)
    quarter = (np.asarray(weeks.year) - START.year) * 4 + np.asarray(weeks.quarter) - 1
    shapes = {}
    # Paid search follows demand, with a budget level per quarter and two dark fortnights
    # (a budget freeze and a tracking outage) outside the holiday season.
    level = np.exp(rng.normal(0, 0.25, quarter.max() + 1))[quarter]
    dark = _dark_runs(rng, n_weeks, ~peak, 2, 2)
    shapes["paid_search"] = (1.0 * season ** 1.2 * level * np.exp(rng.normal(0, 0.12, n_weeks))
                             * np.where(dark, 0.0, 1.0))
    # Social runs in flights of 3-6 weeks, each with its own budget, and 1-3 dark weeks between.
    on = np.zeros(n_weeks)
    w = int(rng.integers(0, 3))
    while w < n_weeks:
        length = int(rng.integers(3, 7))
        on[w:w + length] = np.exp(rng.normal(0, 0.35))
        w += length + int(rng.integers(1, 4))
    shapes["social"] = 0.8 * season ** 0.5 * on * np.exp(rng.normal(0, 0.15, n_weeks))
    # Display: four-week bursts, about half of them on, fully dark otherwise.
    blocks = (rng.random(n_weeks // 4 + 1) < 0.55) * np.exp(rng.normal(0, 0.3, n_weeks // 4 + 1))
    shapes["display"] = 1.1 * np.repeat(blocks, 4)[:n_weeks] * np.exp(rng.normal(0, 0.1, n_weeks))
    # Affiliate: steady, with the budget raised 60% from April 2024.
    shapes["affiliate"] = (0.35 * np.where(weeks >= pd.Timestamp("2024-04-01"), 1.6, 1.0)
                           * np.exp(rng.normal(0, 0.2, n_weeks)))
    paid_expected = sum(shapes[c] / CPA[c] for c in CHANNELS)
    scale = (1 - ORGANIC_SHARE) * n_customers / float((paid_expected * frac).sum())
    spend = {c: np.round(shapes[c] * scale * frac, 2) for c in CHANNELS}
    organic_weekly = ORGANIC_SHARE * n_customers / float((season * frac).sum())
    expected = {c: spend[c] / CPA[c] for c in CHANNELS}
    expected["organic"] = organic_weekly * season * frac
    n_ch = len(CHANNELS)
    ms = pd.DataFrame({"week_start": np.repeat(weeks, n_ch), "channel": np.tile(CHANNELS, n_weeks),
                       "spend": np.column_stack([spend[c] for c in CHANNELS]).ravel()})
    all_ch = [*CHANNELS, "organic"]
    acq = pd.DataFrame({"week_start": np.repeat(weeks, len(all_ch)),
                        "channel": np.tile(all_ch, n_weeks),
                        "expected_new_customers": np.column_stack([expected[c] for c in all_ch]).ravel()})
    probs = acq["expected_new_customers"].to_numpy()
    acq["new_customers"] = rng.multinomial(n_customers, probs / probs.sum())
    params = dict(organic_weekly_base=organic_weekly, spend_scale=scale,
                  spend_season="(1 + 0.15 cos(2 pi (doy - 15)/365.25)) x 1.5 from Nov 10 to Dec 22",
                  spend_schedule={
                      "paid_search": "season^1.2 x quarterly budget level (lognormal 0.25) x noise; "
                                     f"dark weeks {[str(d.date()) for d in weeks[dark]]}",
                      "social": "flights of 3-6 weeks (own budget, lognormal 0.35), 1-3 dark weeks between",
                      "display": "4-week bursts, ~55% on, dark otherwise",
                      "affiliate": "steady; budget x1.6 from 2024-04-01"})
    return ms, acq, params, np.column_stack([spend[c] for c in CHANNELS])


def _adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """Geometric adstock along axis 0: a_t = x_t + decay x a_{t-1}, a_{-1} = 0."""
    out = np.empty_like(x, dtype=float)
    acc = np.zeros(x.shape[1:])
    for t in range(len(x)):
        acc = x[t] + decay * acc
        out[t] = acc
    return out


def _media_lift(spend: np.ndarray, half_sat_usd: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per week and channel: adstock, Hill saturation and lift (max_lift x saturation)."""
    decay = np.array([MEDIA[c]["decay"] for c in CHANNELS])
    shape = np.array([MEDIA[c]["shape"] for c in CHANNELS])
    beta = np.array([MEDIA[c]["max_lift"] for c in CHANNELS])
    ad = np.column_stack([_adstock(spend[:, j], decay[j]) for j in range(len(CHANNELS))])
    hill = ad ** shape / (ad ** shape + half_sat_usd ** shape)
    return ad, hill, beta * hill


def _expected_repeat_revenue(base_daily: np.ndarray, spend: np.ndarray, half_sat_usd: np.ndarray) -> float:
    """The generator's expected repeat-order revenue 2023-2024 for a weekly spend plan.

    ``base_daily`` is the expected repeat revenue per day without media (latent states and
    the customer base held fixed); media multiply it by 1 + the week's summed lift.
    """
    _, _, lift = _media_lift(spend, half_sat_usd)
    week_of_day = np.arange(len(base_daily)) // 7
    return float((base_daily * (1 + lift.sum(1)[week_of_day])).sum())


def _window_stats(lam: np.ndarray, surv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(>= 1 order) and E[orders] in a window of days.

    ``lam[i, k]`` is customer i's intensity on window day k if alive; ``surv[i, k]`` the
    probability of being alive on window day k given alive on the reference day before it
    (non-increasing). The last alive day is k with probability surv_k - surv_{k+1}.
    """
    m = lam.shape[0]
    s_ext = np.concatenate([np.ones((m, 1)), surv, np.zeros((m, 1))], axis=1)
    p_last = s_ext[:, :-1] - s_ext[:, 1:]
    cum = np.concatenate([np.zeros((m, 1)), np.cumsum(lam, axis=1)], axis=1)
    p_none = (p_last * np.exp(-cum)).sum(1)
    return 1 - p_none, (surv * lam).sum(1)


def _orders_v2(rng, customers, latent, cal, products, prod_factors, popularity, media_day,
               ret_draws, chunk=4000):
    """Orders 2023-2025 with media lift, the retention offer and the latent oracles.

    Returns the order lines (2023-2025), per-day expected values for 2023-2024 and a dict
    of per-customer arrays (eligibility, treatment, potential outcomes, 2025 expectations).
    """
    cfg = RETENTION
    n, n_days = len(customers), len(cal)
    n_obs = (END - START).days + 1
    season = cal["season"].to_numpy()
    promo = cal["promo"].to_numpy()
    gift = cal["gift"].to_numpy()
    disc = cal["discount"].to_numpy()
    price = products["price"].to_numpy()
    log_price = np.log(price)
    par = latent["par"]
    life = latent["life"]
    a = (pd.Timestamp(cfg["assigned_at"]) - START).days
    W = cfg["window_days"]
    win = slice(a, a + W)
    if disc[win].max() > 0:  # the voucher's expected cost below assumes no promotion in the window
        raise RuntimeError("the retention window overlaps a promotion")
    elig_lo = a - cfg["eligibility_days"]
    dog_h = 1.0 / cfg["sleeping_dog_extra_life_days"]
    first_disc = np.where(customers["acquisition_channel"].to_numpy() == "affiliate",
                          AFFILIATE_FIRST_ORDER_DISCOUNT, 0.0)
    expected_rev = np.zeros(n_obs)
    expected_orders = np.zeros(n_obs)
    repeat_rev = np.zeros(n_obs)
    repeat_orders = np.zeros(n_obs)
    keys = ["eligible", "treated", "alive_at_assignment", "p_control", "p_treated", "orders_control",
            "orders_treated", "ev_order", "alive_at_end", "orders_2025", "revenue_2025", "margin_2025",
            "p_buy_train", "p_buy_test", "churn_day"]
    cust = {k: np.zeros(n) for k in keys}
    lines_cust, lines_day, lines_prod, lines_qty, lines_order = [], [], [], [], []
    order_counter = 0
    k_win = np.arange(W)
    k_h = np.arange(1, CHURN_HORIZON_DAYS + 1)
    k_fut = np.arange(1, n_days - n_obs + 1)
    # The intensity depends on the customer only through its persona (rate, promotion and
    # gift lifts), so it is one row per persona: lam_table[p, day]. The products below are
    # the same floating-point operations, in the same order, as a customer x day matrix.
    pidx = latent["persona_idx"]
    n_pers = len(PERSONAS)
    p_rate = np.zeros(n_pers)
    p_promo = np.ones(n_pers)
    p_hol = np.ones(n_pers)
    for k in range(n_pers):  # the persona's values as the customers carry them
        first = np.flatnonzero(pidx == k)[:1]
        if len(first):
            p_rate[k], p_promo[k], p_hol[k] = par["rate"][first[0]], par["promo"][first[0]], par["holiday"][first[0]]
    lam_table = (p_rate / 365.0)[:, None] * season[None, :]
    lam_table = lam_table * np.where(promo[None, :], p_promo[:, None], 1.0)
    lam_table = lam_table * np.where(gift[None, :], p_hol[:, None], 1.0)
    lam_table = lam_table * media_day[None, :]
    lam_flat = lam_table.ravel()
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sl = slice(lo, hi)
        m = hi - lo
        probs = _choice_probs(latent["taste"][sl], par["price_beta"][sl], prod_factors,
                              popularity, log_price)
        ev_order = (probs @ price) * (1 + par["lines"][sl]) * (1 + par["qty"][sl])
        pc = pidx[sl]
        sd = latent["signup_day"][sl]
        c0 = latent["churn_day"][sl]
        # History before the assignment day, then eligibility and randomisation. Only the
        # days a customer is alive are drawn: a Poisson draw with mean 0 uses no random
        # numbers, so drawing the alive cells row by row gives the dense matrix's numbers.
        r0, d0 = _alive_cells(sd + 1, np.minimum(c0, a))
        lam0 = lam_flat[pc[r0] * n_days + d0]
        n0 = rng.poisson(lam0)
        hit = (n0 > 0) & (d0 >= max(elig_lo, 0))
        recent = (np.bincount(r0[hit], minlength=m) > 0) | ((sd >= elig_lo) & (sd < a))
        eligible = recent & (sd < a)
        treated = eligible & (ret_draws["u"][sl] < cfg["treatment_share"])
        dog = ret_draws["dog"][sl]
        boost = ret_draws["boost"][sl]
        # A treated sleeping dog gains an extra churn hazard from the assignment day on.
        c_day = np.where(treated & dog & (c0 > a), np.minimum(c0, a + ret_draws["dog_days"][sl] + 1), c0)
        r1, d1 = _alive_cells(np.maximum(sd + 1, a), np.minimum(c_day, n_days))
        lam1 = lam_flat[pc[r1] * n_days + d1]
        in_offer = treated[r1] & (d1 < a + W)
        lam1[in_offer] += (boost / W)[r1[in_offer]]
        n1 = rng.poisson(lam1)
        # Oracles, 2023-2024: expected revenue per day given the latent state (per day,
        # summed over customers in row order, as the dense matrix's column sums).
        # (Days before and after the assignment are disjoint: adding the two sums adds 0.0.)
        obs1 = np.flatnonzero(d1 < n_obs)
        d_obs1, l_obs1 = d1[obs1], lam1[obs1]
        rep = (np.bincount(d0, weights=lam0 * ev_order[r0], minlength=n_obs)
               + np.bincount(d_obs1, weights=l_obs1 * ev_order[r1[obs1]], minlength=n_obs)) * (1 - disc[:n_obs])
        o_sum = np.bincount(d0, weights=lam0, minlength=n_obs) + np.bincount(d_obs1, weights=l_obs1, minlength=n_obs)
        repeat_rev += rep
        expected_rev += rep
        expected_orders += o_sum
        repeat_orders += o_sum
        np.add.at(expected_rev, sd, ev_order * (1 - np.maximum(disc[sd], first_disc[sl])))
        np.add.at(expected_orders, sd, 1.0)
        # Potential outcomes of the offer (for everybody; only eligible customers are tested).
        h = 1.0 / life[sl]
        alive_a = (c0 > a) & (sd < a)
        lam_win = lam_table[:, win][pc]
        p_c, n_c = _window_stats(lam_win, np.exp(-k_win[None, :] * h[:, None]))
        p_t, n_t = _window_stats(lam_win + (boost / W)[:, None],
                                 np.exp(-k_win[None, :] * (h + dog * dog_h)[:, None]))
        h_after = h + (treated & dog) * dog_h  # hazard after the assignment day
        for key, cutoff in [("p_buy_train", TRAIN_CUTOFF), ("p_buy_test", TEST_CUTOFF)]:
            c = (cutoff - START).days
            p, _ = _window_stats(lam_table[:, c + 1:c + 1 + CHURN_HORIZON_DAYS][pc],
                                 np.exp(-k_h[None, :] * h_after[:, None]))
            cust[key][sl] = np.where(sd <= c, np.where(c_day > c, p, 0.0), np.nan)
        alive_end = c_day > n_obs - 1
        surv = np.exp(-k_fut[None, :] * h_after[:, None])
        lam_f = lam_table[:, n_obs:][pc]
        sl_f = surv * lam_f  # (surv * lam_f * x is (surv * lam_f) * x)
        cust["orders_2025"][sl] = alive_end * sl_f.sum(1)
        cust["revenue_2025"][sl] = alive_end * ev_order * (sl_f * (1 - disc[n_obs:])).sum(1)
        cust["margin_2025"][sl] = alive_end * ev_order * (sl_f * (1 - COGS_SHARE - disc[n_obs:])).sum(1)
        del surv, lam_f, sl_f
        for key, val in [("eligible", eligible), ("treated", treated), ("alive_at_assignment", alive_a),
                         ("p_control", p_c * alive_a), ("p_treated", p_t * alive_a),
                         ("orders_control", n_c * alive_a), ("orders_treated", n_t * alive_a),
                         ("ev_order", ev_order), ("alive_at_end", alive_end), ("churn_day", c_day)]:
            cust[key][sl] = val
        # Realise orders: the forced first order plus the Poisson repeat orders, row-major
        # (customer, then day) as np.nonzero of the dense counts.
        nz0, nz1 = n0 > 0, n1 > 0
        ci = np.concatenate([r0[nz0], r1[nz1]])
        di = np.concatenate([d0[nz0], d1[nz1]])
        reps = np.concatenate([n0[nz0], n1[nz1]])
        o = np.argsort(ci, kind="stable")
        ci, di, reps = ci[o], di[o], reps[o]
        o_cust = np.concatenate([np.arange(lo, hi), np.repeat(ci + lo, reps)])
        o_day = np.concatenate([sd, np.repeat(di, reps)])
        n_orders = len(o_cust)
        n_lines = 1 + rng.poisson(par["lines"][o_cust])
        l_cust = np.repeat(o_cust, n_lines)
        cum_p = np.cumsum(probs, axis=1)
        u = rng.random(len(l_cust))
        l_prod = np.minimum(_count_below(cum_p, l_cust - lo, u), len(price) - 1)
        # Compact integer types (a million customers make ~20 million lines); the values are
        # those of the int64 draws.
        lines_cust.append(l_cust.astype(np.int32))
        lines_day.append(np.repeat(o_day, n_lines).astype(np.int16))
        lines_prod.append(l_prod.astype(np.int16))
        lines_qty.append((1 + rng.poisson(par["qty"][l_cust])).astype(np.int32))
        lines_order.append(np.repeat(np.arange(order_counter, order_counter + n_orders), n_lines).astype(np.int32))
        order_counter += n_orders
    for key in ["eligible", "treated", "alive_at_assignment", "alive_at_end"]:
        cust[key] = cust[key].astype(bool)
    cust["churn_day"] = cust["churn_day"].astype(np.int64)
    lines = _merge_and_sort_lines(np.concatenate(lines_order), np.concatenate(lines_cust),
                                  np.concatenate(lines_day), np.concatenate(lines_prod),
                                  np.concatenate(lines_qty), len(price), n)
    del lines_order, lines_cust, lines_day, lines_prod, lines_qty
    # The lines stay a dict of arrays (no DataFrame of all 2023-2025 lines: one copy less).
    l_cust, l_day, l_prod, l_tmp = lines["cust"], lines["day"], lines["prod"], lines["tmp_order"]
    lines["order_id"] = _order_ids(lines["order_no"])
    lines["order_date"] = np.asarray(START + pd.to_timedelta(l_day, unit="D"))
    lines["customer_id"] = customers["customer_id"].to_numpy()[l_cust]
    lines["product_id"] = products["product_id"].to_numpy()[l_prod]
    lines["unit_price"] = price[l_prod]
    first_order_of = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_order_of, l_cust, l_tmp)
    is_first = l_tmp == first_order_of[l_cust]
    del first_order_of
    promo_disc = disc[l_day]
    discount = np.where(is_first, np.maximum(promo_disc, first_disc[l_cust]), promo_disc)
    del is_first, promo_disc
    # The voucher: the first order of a treated customer inside the window (the lines are
    # sorted by day, customer, order: a customer's first line in the window is its first order's).
    in_win = np.flatnonzero(cust["treated"][l_cust] & (l_day >= a) & (l_day < a + W))
    _, first_row = np.unique(l_cust[in_win], return_index=True)
    first_tmp = np.zeros(n, dtype=np.int64)
    first_tmp[l_cust[in_win[first_row]]] = l_tmp[in_win[first_row]]
    voucher = np.zeros(len(l_tmp), dtype=bool)
    voucher[in_win] = l_tmp[in_win] == first_tmp[l_cust[in_win]]
    discount = np.where(voucher, np.maximum(discount, cfg["voucher_discount"]), discount)
    del voucher, in_win
    lines["discount"] = discount
    lines["revenue"] = order_revenue(lines["quantity"], lines["unit_price"], discount)
    cols = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price",
            "discount", "revenue"]
    edr = pd.DataFrame({"date": cal["date"].iloc[:n_obs].to_numpy(), "expected_orders": expected_orders,
                        "expected_revenue": expected_rev,
                        "expected_revenue_no_media": expected_rev - repeat_rev + repeat_rev / media_day[:n_obs],
                        "expected_repeat_orders_no_media": repeat_orders / media_day[:n_obs],
                        "expected_repeat_revenue_no_media": repeat_rev / media_day[:n_obs],
                        "media_multiplier": media_day[:n_obs]})
    return lines, cols, edr, cust, repeat_rev / media_day[:n_obs]




def _merge_and_sort_lines(tmp_order, cust, day, prod, qty, n_products: int, n_customers: int) -> dict:
    """Order lines with one line per product and order, sorted by day, customer, order, product.

    What ``groupby(["tmp_order", "cust", "day", "prod"]).quantity.sum()`` then a stable sort
    by ``["day", "cust", "tmp_order", "prod"]`` gives (the sort keys are unique), on integer
    keys. ``order_no`` numbers the orders 1, 2, ... in that order.
    """
    key = tmp_order.astype(np.int64) * n_products + prod
    o = np.argsort(key, kind="stable")  # the lines of an order are adjacent: nearly sorted
    key = key[o]
    start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]])) if len(key) else np.zeros(0, int)
    first = o[start]
    quantity = np.add.reduceat(qty[o], start) if len(key) else qty[:0]
    del o, key
    # Stable sort by (day, customer) as two stable passes, least significant first: by
    # customer (lines come in long ascending runs of customers: fast), then by day (a radix
    # sort for 16-bit integers).
    o = np.argsort(cust[first], kind="stable")
    day_sorted = day[first][o]
    if day_sorted.dtype.itemsize > 2 and len(day_sorted) and 0 <= day_sorted.min() and day_sorted.max() < 2 ** 15:
        day_sorted = day_sorted.astype(np.int16)
    o = o[np.argsort(day_sorted, kind="stable")]
    del day_sorted
    first = first[o]
    t = tmp_order[first]
    is_new = np.concatenate([[True], t[1:] != t[:-1]]) if len(t) else np.zeros(0, bool)
    return {"tmp_order": t, "cust": cust[first], "day": day[first], "prod": prod[first],
            "quantity": quantity[o].astype(np.int64), "order_no": np.cumsum(is_new)}


def _order_ids(order_no: np.ndarray) -> np.ndarray:
    """``"O%06d" % k`` for each k (one string object per order, shared by its lines)."""
    if not len(order_no):
        return np.zeros(0, dtype=object)
    top = int(order_no.max())
    ids = np.array(list(map("O%06d".__mod__, range(top + 1))), dtype=object)
    return ids[order_no]


def _alive_cells(first: np.ndarray, stop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and day of every cell ``first[i] <= day < stop[i]``, row by row, days ascending."""
    length = np.maximum(stop - first, 0)
    rows = np.repeat(np.arange(len(first)), length)
    begin = np.cumsum(length) - length
    days = np.arange(int(length.sum()), dtype=np.int64) + np.repeat(first - begin, length)
    return rows, days


def _count_below(cum: np.ndarray, rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``(cum[rows] < u[:, None]).sum(1)`` for rows of a non-decreasing ``cum``, by binary search.

    The same comparisons of the same numbers, without the lines x products matrix.
    """
    lo = np.zeros(len(rows), dtype=np.int64)
    hi = np.full(len(rows), cum.shape[1], dtype=np.int64)
    flat = cum.ravel()
    base = rows.astype(np.int64) * cum.shape[1]
    while True:
        open_ = lo < hi
        if not open_.any():
            return lo
        mid = (lo + hi) // 2
        below = open_ & (flat[base + np.minimum(mid, cum.shape[1] - 1)] < u)
        lo = np.where(below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)


def _typo(word: str, u: float, v: float) -> str:
    """A typo in ``word``: swap two neighbours, drop or double a letter (position u, kind v)."""
    i = int(u * (len(word) - 1))
    kind = int(v * 3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i + 1] + word[i] + word[i + 1:]


def _pick(rng, table: np.ndarray, lengths: np.ndarray, row: np.ndarray) -> np.ndarray:
    """For each i, a uniform draw from the padded list ``table[row[i], :lengths[row[i]]]``."""
    k = (rng.random(len(row)) * lengths[row]).astype(np.int64)
    return table[row, k]


def _padded(lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(x) for x in lists)
    out = np.full((len(lists), width), "", dtype=object)
    for i, x in enumerate(lists):
        out[i, :len(x)] = x
    return out, np.array([len(x) for x in lists])


def _cap(texts) -> np.ndarray:
    return np.array([t[:1].upper() + t[1:] for t in texts], dtype=object)


def _review_texts(rng, sentiment: np.ndarray, picks: np.ndarray, n_aspects: np.ndarray,
                  scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Review texts from the phrase grammar, vectorised over reviews.

    ``picks[i, j]`` is review i's j-th aspect (used for j < n_aspects[i]) and
    ``scores[i, j]`` its latent score (its sign is the polarity, its size the strength).
    Returns the texts and whether each uses a negated phrase.
    """
    m = len(sentiment)
    names = list(ASPECTS)
    subj, n_subj = _padded([ASPECTS[a][0] for a in names])
    pos, n_pos = _padded([ASPECTS[a][1] for a in names])
    neg, n_neg = _padded([ASPECTS[a][2] for a in names])
    tones = ["pos", "neg", "mid"]
    tone = np.where(sentiment > 0.6, 0, np.where(sentiment < -0.3, 1, 2))
    openers, n_open = _padded([OPENERS[t] for t in tones])
    closers, n_close = _padded([CLOSERS[t] for t in tones])
    intens = np.array(INTENSIFIERS, dtype=object)
    hedges = np.array(HEDGES, dtype=object)
    s_hedges = np.array(SENTENCE_HEDGES, dtype=object)
    body = np.full(m, "", dtype=object)
    negated = np.zeros(m, dtype=bool)
    prev = np.zeros(m, dtype=int)
    plural_subjects = [x for x in subj.ravel() if x.endswith("dimensions")]
    for j in range(picks.shape[1]):
        # Every draw is made for all reviews, as before; the text is built only where it is
        # used (the clause of the aspects a review has, the negated or the plain form).
        act = j < n_aspects
        a = picks[:, j]
        pol = np.where(scores[:, j] > 0, 1, -1)
        strength = np.abs(scores[:, j])
        subject = _pick(rng, subj, n_subj, a)
        plural = np.zeros(m, dtype=bool)
        for x in plural_subjects:
            plural |= subject == x
        past = rng.random(m) >= 0.6
        verb = np.where(plural, np.where(past, "were", "are"), np.where(past, "was", "is")).astype(object)
        rate = np.where(pol > 0, REVIEWS["negation_rate"]["positive"], REVIEWS["negation_rate"]["negative"])
        is_neg = rng.random(m) < rate
        own = np.where(pol > 0, _pick(rng, pos, n_pos, a), _pick(rng, neg, n_neg, a))
        opposite = np.where(pol > 0, _pick(rng, neg, n_neg, a), _pick(rng, pos, n_pos, a))
        contracted = rng.random(m) < 0.5
        intens_k = rng.integers(0, len(intens), m)
        hedge_k = rng.integers(0, len(hedges), m)
        rows = np.flatnonzero(act)
        ng, pl = rows[is_neg[rows]], rows[~is_neg[rows]]
        clause = np.empty(m, dtype=object)
        tail = np.where((strength[ng] > 1.0) & (pol[ng] < 0), " at all", "").astype(object)
        clause[ng] = (subject[ng] + " " + verb[ng] + np.where(contracted[ng], "n't ", " not ").astype(object)
                      + opposite[ng] + tail)
        st = strength[pl]
        mod = np.where(st > 1.0, intens[intens_k[pl]] + " ", np.where(st < 0.35, hedges[hedge_k[pl]] + " ", ""))
        clause[pl] = subject[pl] + " " + verb[pl] + " " + mod.astype(object) + own[pl]
        negated |= act & is_neg
        if j == 0:
            hedge = rng.random(m) < 0.15
            s_k = rng.integers(0, len(s_hedges), m)
            first = clause.copy()
            first[hedge] = s_hedges[s_k[hedge]] + " " + clause[hedge]
            body = _cap(first)
        else:
            joiner = rng.random(m) < 0.5
            p_, jn = pol[rows], joiner[rows]
            nxt = np.empty(len(rows), dtype=object)
            but = p_ != prev[rows]
            nxt[but] = ", but " + clause[rows[but]]
            and_ = ~but & jn
            nxt[and_] = " and " + clause[rows[and_]]
            dot = ~but & ~jn
            nxt[dot] = ". " + _cap(clause[rows[dot]])
            body[rows] = body[rows] + nxt
        prev = np.where(act, pol, prev)
    has_open = rng.random(m) < 0.5
    has_close = rng.random(m) < 0.3
    text = (np.where(has_open, _pick(rng, openers, n_open, tone) + " ", "").astype(object) + body + "."
            + np.where(has_close, " " + _pick(rng, closers, n_close, tone), "").astype(object))
    # Typos: each word of 4+ letters is mistyped with probability typo_rate.
    # (Words are split on single spaces; only the texts with a hit are split again.)
    n_words = np.array([t.count(" ") + 1 for t in text], dtype=np.int64)
    n_flat = int(n_words.sum())
    hit = rng.random(n_flat) < REVIEWS["typo_rate"]
    u, v = rng.random(n_flat), rng.random(n_flat)
    owner = np.repeat(np.arange(m), n_words)
    start = np.cumsum(n_words) - n_words
    hits = np.flatnonzero(hit)
    texts_hit, first_hit = np.unique(owner[hits], return_index=True)
    bounds = np.append(first_hit, len(hits))
    for j, i in enumerate(texts_hit):
        words = text[i].split(" ")
        for k in hits[bounds[j]:bounds[j + 1]]:
            w = words[k - start[i]]
            if len(w) >= 4 and w.isalpha():
                words[k - start[i]] = _typo(w, u[k], v[k])
        text[i] = " ".join(words)
    return text, negated


def _reviews(rng, orders: pd.DataFrame, products: pd.DataFrame, satisfaction: np.ndarray,
             quality: np.ndarray, cust_index: np.ndarray, ids: dict | None = None):
    """Reviews of a share of order lines, and their truth (sentiment, aspect polarities).

    ``ids`` (optional): the id columns as object arrays, as in :func:`_inject_defects`.
    """
    ids = ids or {}
    cfg = REVIEWS
    aspects = list(ASPECTS)
    line_cust = cust_index  # row of each order line's customer
    s = satisfaction[line_cust]
    p = np.clip(cfg["base_rate"] * (0.6 + 0.5 * np.abs(s)), 0, 1)
    chosen = np.flatnonzero(rng.random(len(orders)) < p)
    delay = 3 + rng.poisson(6, len(chosen))
    review_date = orders["order_date"].to_numpy()[chosen] + delay.astype("timedelta64[D]")
    keep = review_date <= np.datetime64(END)
    chosen, review_date = chosen[keep], review_date[keep]
    order_ = np.lexsort((chosen, review_date))
    chosen, review_date = chosen[order_], review_date[order_]
    m = len(chosen)
    pid_chosen = _text(orders.iloc[chosen], "product_id", {}) if "product_id" not in ids else ids["product_id"][chosen]
    prod_row = pd.Index(products["product_id"]).get_indexer(pid_chosen)
    sentiment = (0.35 + 0.7 * s[chosen] + 0.6 * quality[prod_row] + rng.normal(0, 0.6, m))
    latent_rating = sentiment + rng.normal(0, cfg["rating_noise_sd"], m)
    rating = 1 + np.searchsorted(np.asarray(cfg["rating_cuts"]), latent_rating)
    n_aspects = 1 + rng.binomial(2, 0.4, m)
    cats = products["category"].to_numpy()[prod_row]
    weights = {}
    for cat in np.unique(cats):
        w = {**ASPECT_WEIGHTS["default"], **ASPECT_WEIGHTS.get(cat, {})}
        v = np.array([w[x] for x in aspects], dtype=float)
        weights[cat] = v / v.sum()
    aspect_scores = sentiment[:, None] + rng.normal(0, cfg["aspect_noise_sd"], (m, len(aspects)))
    # Which aspects each review talks about: weighted sampling without replacement
    # (Gumbel top-k), the weights by the product's category.
    ucats, cat_idx = np.unique(cats, return_inverse=True)
    w = np.vstack([weights[c] for c in ucats])[cat_idx] if m else np.zeros((0, len(aspects)))
    keys = np.log(w) - np.log(-np.log(rng.random((m, len(aspects)))))
    order = np.argsort(-keys, axis=1)[:, :3]
    scores = np.take_along_axis(aspect_scores, order, axis=1)
    polarity = np.zeros((m, len(aspects)), dtype=int)
    for j in range(3):
        act = j < n_aspects
        polarity[np.flatnonzero(act), order[act, j]] = np.where(scores[act, j] > 0, 1, -1)
    texts, negated = _review_texts(rng, sentiment, order, n_aspects, scores)
    review_ids = [f"R{k + 1:06d}" for k in range(m)]
    reviews = pd.DataFrame({
        "review_id": review_ids,
        "customer_id": (ids["customer_id"][chosen] if "customer_id" in ids
                        else orders["customer_id"].to_numpy()[chosen]),
        "product_id": pid_chosen,
        "review_date": pd.DatetimeIndex(review_date),
        "rating": rating.astype(int),
        "text": texts,
    })
    truth = pd.DataFrame({"review_id": review_ids,
                          "order_id": (ids["order_id"][chosen] if "order_id" in ids
                                       else orders["order_id"].to_numpy()[chosen]),
                          "sentiment": sentiment, "negated": negated})
    for j, asp in enumerate(aspects):
        truth[asp] = polarity[:, j]
    return reviews, truth


def _retention_table(orders: pd.DataFrame, customers: pd.DataFrame, cust: dict,
                     cust_index: np.ndarray | None = None, order_num: np.ndarray | None = None) -> pd.DataFrame:
    """The experiment as a marketer sees it: eligible customers, arm, pre-treatment features, outcome.

    ``cust_index`` (each line's customer row) and ``order_num`` (the number in each order
    id), when given, spare looking the ids up as text.
    """
    cfg = RETENTION
    a_date = pd.Timestamp(cfg["assigned_at"])
    a = (a_date - START).days
    W = cfg["window_days"]
    elig = np.flatnonzero(cust["eligible"])
    if cust_index is None:
        cust_index = pd.Index(customers["customer_id"]).get_indexer(orders["customer_id"].to_numpy())
    ci = cust_index
    day = (orders["order_date"] - START).dt.days.to_numpy()
    rev = orders["revenue"].to_numpy()
    oid = orders["order_id"].to_numpy() if order_num is None else order_num
    n = len(customers)

    def per_customer(mask):
        first = ~pd.Series(oid[mask]).duplicated().to_numpy()  # an order counts once
        orders_n = np.bincount(ci[mask][first], minlength=n)
        revenue = np.bincount(ci[mask], weights=rev[mask], minlength=n)
        return orders_n, revenue

    before = day < a
    last = np.full(n, -1)
    np.maximum.at(last, ci[before], day[before])
    f365, m365 = per_customer(before & (day >= a - cfg["eligibility_days"]))
    n_win, r_win = per_customer((day >= a) & (day < a + W))
    signup = (customers["signup_date"] - START).dt.days.to_numpy()
    out = pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy()[elig],
        "assigned_at": a_date,
        "treatment": cust["treated"][elig].astype(int),
        "tenure_days": a - signup[elig],
        "recency_days": a - last[elig],
        "frequency_365d": f365[elig],
        "monetary_365d": np.round(m365[elig], 2),
        "age": customers["age"].to_numpy()[elig],
        "region": customers["region"].to_numpy()[elig],
        "acquisition_channel": customers["acquisition_channel"].to_numpy()[elig],
        "purchased_60d": (n_win[elig] > 0).astype(int),
        "revenue_60d": np.round(r_win[elig], 2),
    })
    return out


# --------------------------------------------------------------------------- assemble
def _acquisition_truth(acq_params: dict, by_channel: pd.DataFrame) -> dict:
    """truth.json's acquisition section (the same in both data versions)."""
    return {
        "cost_per_acquisition": CPA,
        "customers_per_dollar": {c: 1 / v for c, v in CPA.items()},
        "organic_share": ORGANIC_SHARE,
        **acq_params,
        "note": "expected weekly new customers = spend / CPA per channel + organic; "
                "counts are Poisson conditioned on the total (multinomial)",
        "new_customers_by_channel": {c: int(v) for c, v in by_channel["new_customers"].items()},
        "expected_new_customers_by_channel": {c: float(v) for c, v in by_channel["expected_new_customers"].items()},
    }


def generate(seed: int = DEFAULT_SEED, n_customers: int = DEFAULT_N_CUSTOMERS, version: int = 2) -> Store:
    """Generate the whole shop: tables and truth.

    Parameters
    ----------
    seed : int
        Seed of every random draw; the same seed gives the same store.
    n_customers : int
        Number of customers acquired over the two years (at least 100).
    version : {1, 2}
        Data version. 2 (the default, the bundled ``datasets/``) has the
        retention experiment (``retention_test``), media carry-over and saturation in the
        purchase intensity, product ``reviews`` and the 2025 future in the truth (issue 15);
        1 is the course's first shop, kept so its results stay reproducible.

    Returns
    -------
    Store
        Tables ``customers``, ``products``, ``orders``, ``orders_raw``, ``marketing_spend``,
        ``promotions``, ``ab_test`` (version 2 also ``retention_test`` and ``reviews``) and
        ``truth``.

    Raises
    ------
    TypeError
        If ``seed``, ``n_customers`` or ``version`` is not an integer.
    ValueError
        If ``seed`` < 0, ``n_customers`` < 100 or ``version`` is not 1 or 2.

    Examples
    --------
    >>> store = generate(seed=1, n_customers=300)
    >>> store.customers["customer_id"].is_unique
    True
    >>> v2 = generate(seed=1, n_customers=300, version=2)
    >>> sorted(set(v2.retention_test["treatment"]))
    [0, 1]
    """
    seed = check_int(seed, "seed", low=0)
    n_customers = check_int(n_customers, "n_customers", low=100)
    version = check_int(version, "version", low=1, high=2)
    # One BLAS thread: the matrix products here are small (customers x 200 products, in
    # chunks), where extra threads only spin, and the numbers do not depend on the core count.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        if version == 2:
            return _generate_v2(seed, n_customers)
        return _generate_v1(seed, n_customers)


def _generate_v1(seed: int, n_customers: int) -> Store:
    ss = np.random.SeedSequence(seed)
    r_prod, r_mkt, r_cust, r_ord, r_ab, r_def = (np.random.default_rng(s) for s in ss.spawn(6))
    promos = promotions_calendar()
    cal = _daily_calendar(promos)
    products, prod_factors, popularity, style_centroid = _products(r_prod)
    spend, acq, acq_params = _marketing(r_mkt, int(n_customers))
    customers, latent = _customers(r_cust, acq, cal, products, prod_factors, popularity,
                                   style_centroid)
    orders, edr, p_buy = _orders(r_ord, customers, latent, cal, products, prod_factors, popularity)
    ab, ab_truth = _ab_test(r_ab)
    orders_raw, defects = _inject_defects(r_def, orders)

    personas = list(PERSONAS)
    churn_date = START + pd.to_timedelta(latent["churn_day"], unit="D")
    truth_customers = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "persona": np.array(personas)[latent["persona_idx"]],
        "churn_date": churn_date,
        "p_buy_90d_train": p_buy[TRAIN_CUTOFF],
        "p_buy_90d_test": p_buy[TEST_CUTOFF],
    })
    cf = pd.DataFrame(latent["taste"], columns=[f"f{k + 1}" for k in range(N_FACTORS)])
    cf.insert(0, "customer_id", customers["customer_id"])
    pf = pd.DataFrame(prod_factors, columns=[f"f{k + 1}" for k in range(N_FACTORS)])
    pf.insert(0, "product_id", products["product_id"])
    pf["popularity"] = popularity
    by_channel = acq.groupby("channel", sort=False)[["expected_new_customers", "new_customers"]].sum()
    params = {
        "seed": int(seed),
        "n_customers": int(n_customers),
        "window": {"start": str(START.date()), "end": str(END.date())},
        "currency": "USD",
        "acquisition": _acquisition_truth(acq_params, by_channel),
        "personas": PERSONAS,
        "channel_persona_tilt": CHANNEL_PERSONA_TILT,
        "persona_counts": {p: int((latent["persona_idx"] == i).sum()) for i, p in enumerate(personas)},
        "purchases": {
            "first_order_on_signup_day": True,
            "affiliate_first_order_discount": AFFILIATE_FIRST_ORDER_DISCOUNT,
            "lines_per_order": "1 + Poisson(persona lines)",
            "quantity_per_line": "1 + Poisson(persona qty)",
            "product_choice": "softmax(taste . factors + popularity + price_beta * (log price - mean log price))",
            "revenue": "round(quantity * unit_price * (1 - discount), 2)",
        },
        "seasonality": {
            "weekday_factors_mon_to_sun": WEEKDAY_FACTORS,
            "yearly": {"amplitude": YEARLY_AMPLITUDE, "peak_day_of_year": YEARLY_PEAK_DAY},
            "holiday_factors": HOLIDAY_FACTORS,
            "gift_window": list(GIFT_WINDOW),
            "note": "daily factor = weekday x yearly x holiday, normalised to mean 1 over the window",
        },
        "churn": {"train_cutoff": str(TRAIN_CUTOFF.date()), "test_cutoff": str(TEST_CUTOFF.date()),
                  "horizon_days": CHURN_HORIZON_DAYS,
                  "lifetime": "exponential with the persona's mean life (days)",
                  "p_buy": "P(>= 1 order in (cutoff, cutoff + horizon] | latent state at cutoff)"},
        "latent_factors": N_FACTORS,
        "experiment": ab_truth,
        "defects": defects,
        "sizes": {"customers": len(customers), "products": len(products), "orders": int(orders["order_id"].nunique()),
                  "order_lines": len(orders), "orders_raw_rows": len(orders_raw), "ab_visitors": len(ab)},
    }
    truth = Truth(params=params, customers=truth_customers, customer_factors=cf,
                  product_factors=pf, expected_daily_revenue=edr,
                  weekly_acquisition=acq)
    products_out = products[["product_id", "name", "category", "brand", "price", "description"]]
    return Store(customers=customers, products=products_out, orders=orders, orders_raw=orders_raw,
                 marketing_spend=spend, promotions=promos, ab_test=ab, truth=truth)


def _generate_v2(seed: int, n_customers: int) -> Store:
    """Data v2 (issue 15): v1's model plus the retention offer, media response, reviews, 2025."""
    ss = np.random.SeedSequence(seed)
    (r_prod, r_mkt, r_cust, r_ord, r_ab, r_def, r_sat, r_ret,
     r_rev) = (np.random.default_rng(s) for s in ss.spawn(9))
    cfg = RETENTION
    cal, promos = _calendar_v2()
    n_obs = (END - START).days + 1
    n_days = len(cal)
    products, prod_factors, popularity, style_centroid = _products(r_prod)
    spend, acq, acq_params, spend_wide = _marketing_v2(r_mkt, n_customers)
    n = n_customers
    satisfaction = r_sat.normal(0, 1, n)
    quality = r_sat.normal(0, REVIEWS["product_quality_sd"], len(products))
    customers, latent = _customers(r_cust, acq, cal, products, prod_factors, popularity,
                                   style_centroid, life_mult=np.exp(SATISFACTION_CHURN * satisfaction))
    # Media: weekly adstock -> Hill -> lift; 2025 repeats 2024's multiplier 52 weeks on.
    half_sat_usd = np.array([MEDIA[c]["half_saturation"] for c in CHANNELS]) * np.array(
        [_adstock(spend_wide[:, j], MEDIA[c]["decay"]).mean() for j, c in enumerate(CHANNELS)])
    adstock, hill, lift = _media_lift(spend_wide, half_sat_usd)
    week_of_day = np.arange(n_obs) // 7
    media_obs = (1 + lift.sum(1))[week_of_day]
    media_day = np.concatenate([media_obs, media_obs[np.minimum(np.arange(n_obs, n_days) - 364, n_obs - 1)]])
    personas = list(PERSONAS)
    pidx = latent["persona_idx"]
    dog_rate = np.where(pidx == personas.index("loyal_regular"), cfg["sleeping_dog_rate_loyal"],
                        cfg["sleeping_dog_rate_other"])
    ret_draws = dict(
        u=r_ret.random(n), dog=r_ret.random(n) < dog_rate,
        boost=np.array([OFFER_BOOST[p] for p in personas])[pidx] * np.exp(r_ret.normal(0, cfg["boost_noise_sd"], n)),
        dog_days=np.floor(r_ret.exponential(cfg["sleeping_dog_extra_life_days"], n)).astype(np.int64))
    ret_draws["boost"] = np.where(ret_draws["dog"], 0.0, ret_draws["boost"])  # the offer only annoys them
    lines, cols, edr, cust, base_daily = _orders_v2(r_ord, customers, latent, cal, products, prod_factors,
                                                    popularity, media_day, ret_draws)
    k = int(np.searchsorted(lines["day"], n_obs))  # sorted by day: 2023-2024 first, then 2025
    order_num = lines["order_no"][:k]  # the number in each order id
    line_cust = lines["cust"][:k].astype(np.int64)  # row of each line's customer
    n_orders_2025 = int(pd.Series(lines["order_no"][k:]).nunique())
    orders = pd.DataFrame({c: lines[c][:k] for c in cols})
    orders_2025 = pd.DataFrame({c: lines[c][k:] for c in cols})
    ids = {c: lines[c][:k] for c in ["order_id", "customer_id", "product_id"]}  # the strings, once
    del lines  # a million customers: ~20 million lines; keep one copy of them, not two
    ab, ab_truth = _ab_test(r_ab)
    orders_raw, defects = _inject_defects(r_def, orders, order_num, ids)
    reviews, reviews_truth = _reviews(r_rev, orders, products, satisfaction, quality, line_cust, ids)
    del ids
    retention = _retention_table(orders, customers, cust, line_cust, order_num)

    # ----- truth tables
    churn_date = START + pd.to_timedelta(cust["churn_day"], unit="D")
    truth_customers = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "persona": np.array(personas)[pidx],
        "churn_date": churn_date,
        "p_buy_90d_train": cust["p_buy_train"],
        "p_buy_90d_test": cust["p_buy_test"],
        "satisfaction": satisfaction,
    })
    cf = pd.DataFrame(latent["taste"], columns=[f"f{k + 1}" for k in range(N_FACTORS)])
    cf.insert(0, "customer_id", customers["customer_id"])
    pf = pd.DataFrame(prod_factors, columns=[f"f{k + 1}" for k in range(N_FACTORS)])
    pf.insert(0, "product_id", products["product_id"])
    pf["popularity"] = popularity
    pf["quality"] = quality
    elig = np.flatnonzero(cust["eligible"])
    alive_a, dog = cust["alive_at_assignment"], ret_draws["dog"]
    segment = np.select([~alive_a, dog, cust["p_control"] >= cfg["sure_thing_p_control"]],
                        ["lost_cause", "sleeping_dog", "sure_thing"], "persuadable")
    ev = cust["ev_order"]
    v = cfg["voucher_discount"]
    rev_c = ev * cust["orders_control"]
    rev_t = ev * cust["orders_treated"] - v * ev * cust["p_treated"]
    mar_c = (1 - COGS_SHARE) * ev * cust["orders_control"]
    mar_t = (1 - COGS_SHARE) * ev * cust["orders_treated"] - v * ev * cust["p_treated"]
    uplift = pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy()[elig],
        "treatment": cust["treated"][elig].astype(int),
        "segment": segment[elig],
        "alive_at_assignment": alive_a[elig],
        "sleeping_dog": dog[elig],
        "offer_boost": ret_draws["boost"][elig],
        "p_purchase_control": cust["p_control"][elig],
        "p_purchase_treated": cust["p_treated"][elig],
        "uplift_purchase": (cust["p_treated"] - cust["p_control"])[elig],
        "revenue_60d_control": rev_c[elig],
        "revenue_60d_treated": rev_t[elig],
        "uplift_revenue": (rev_t - rev_c)[elig],
        "margin_60d_control": mar_c[elig],
        "margin_60d_treated": mar_t[elig],
        "uplift_margin": (mar_t - mar_c)[elig],
    })
    customers_2025 = pd.DataFrame({
        "customer_id": customers["customer_id"],
        "alive_at_end": cust["alive_at_end"],
        "expected_orders_2025": cust["orders_2025"],
        "expected_revenue_2025": cust["revenue_2025"],
        "expected_margin_2025": cust["margin_2025"],
    })
    # Media truth from the generator's own expected-revenue function.
    weeks = spend["week_start"].drop_duplicates().to_numpy()
    base_week = np.bincount(week_of_day, weights=base_daily, minlength=len(weeks))
    media_tab = pd.DataFrame({
        "week_start": np.repeat(weeks, len(CHANNELS)),
        "channel": np.tile(CHANNELS, len(weeks)),
        "spend": spend_wide.ravel(),
        "adstock": adstock.ravel(),
        "saturation": hill.ravel(),
        "lift": lift.ravel(),
        "incremental_revenue": (base_week[:, None] * lift).ravel(),
    })
    e_all = _expected_repeat_revenue(base_daily, spend_wide, half_sat_usd)
    media_truth = {}
    for j, c in enumerate(CHANNELS):
        total = float(spend_wide[:, j].sum())
        off, up = spend_wide.copy(), spend_wide.copy()
        off[:, j] = 0.0
        up[:, j] *= 1.01
        inc = e_all - _expected_repeat_revenue(base_daily, off, half_sat_usd)
        marg = (_expected_repeat_revenue(base_daily, up, half_sat_usd) - e_all) / (0.01 * total)
        media_truth[c] = {**MEDIA[c], "half_saturation_usd": float(half_sat_usd[j]), "spend_total": total,
                          "incremental_revenue": inc, "roas": inc / total, "marginal_roas": marg}

    # ----- truth.json
    by_channel = acq.groupby("channel", sort=False)[["expected_new_customers", "new_customers"]].sum()
    seg_elig = pd.Series(segment[elig])
    treated = cust["treated"][elig]
    y = retention["purchased_60d"].to_numpy()
    params = {
        "seed": int(seed),
        "version": 2,
        "n_customers": int(n_customers),
        "window": {"start": str(START.date()), "end": str(END.date())},
        "future_window": {"start": "2025-01-01", "end": str(FUTURE_END.date()),
                          "note": "the same customers continue; no new acquisition; "
                                  "media multiplier = 2024's, 364 days earlier"},
        "currency": "USD",
        "margin": {"cogs_share_of_list_price": COGS_SHARE,
                   "margin": "revenue - cogs_share x quantity x unit_price"},
        "acquisition": _acquisition_truth(acq_params, by_channel),
        "personas": PERSONAS,
        "channel_persona_tilt": CHANNEL_PERSONA_TILT,
        "persona_counts": {p: int((pidx == i).sum()) for i, p in enumerate(personas)},
        "satisfaction": {"distribution": "N(0, 1) per customer",
                         "churn_effect": f"mean lifetime x exp({SATISFACTION_CHURN} x satisfaction)"},
        "purchases": {
            "first_order_on_signup_day": True,
            "affiliate_first_order_discount": AFFILIATE_FIRST_ORDER_DISCOUNT,
            "lines_per_order": "1 + Poisson(persona lines)",
            "quantity_per_line": "1 + Poisson(persona qty)",
            "product_choice": "softmax(taste . factors + popularity + price_beta * (log price - mean log price))",
            "intensity": "rate/365 x season x promo x gift x media multiplier (+ offer_boost/60 per day "
                         "in the retention window if treated)",
            "revenue": "round(quantity * unit_price * (1 - discount), 2)",
        },
        "seasonality": {
            "weekday_factors_mon_to_sun": WEEKDAY_FACTORS,
            "yearly": {"amplitude": YEARLY_AMPLITUDE, "peak_day_of_year": YEARLY_PEAK_DAY},
            "holiday_factors": HOLIDAY_FACTORS,
            "gift_window": list(GIFT_WINDOW),
            "note": "daily factor = weekday x yearly x holiday, normalised to mean 1 over 2023-2024",
        },
        "churn": {"train_cutoff": str(TRAIN_CUTOFF.date()), "test_cutoff": str(TEST_CUTOFF.date()),
                  "horizon_days": CHURN_HORIZON_DAYS,
                  "lifetime": "exponential with the persona's mean life x exp(0.3 satisfaction) (days); "
                              "treated sleeping dogs gain a hazard of 1/10 per day from the assignment",
                  "p_buy": "P(>= 1 order in (cutoff, cutoff + horizon] | latent state at cutoff)"},
        "latent_factors": N_FACTORS,
        "media": {"model": "intensity x (1 + sum_c max_lift_c x hill_c(adstock_c)); adstock_t = spend_t + "
                           "decay x adstock_(t-1) (weekly, from 0); hill(a) = a^shape / (a^shape + "
                           "half_saturation_usd^shape); half_saturation_usd = half_saturation x mean adstock",
                  "expected_repeat_revenue_2023_2024": e_all,
                  "counterfactuals": "incremental revenue = E[repeat revenue] - E[... with the channel's spend "
                                     "set to 0]; roas = incremental / spend; marginal_roas = (E[... with the "
                                     "channel's spend x 1.01] - E) / (0.01 spend). Customer base held fixed "
                                     "(acquisition is customers_per_dollar); voucher discounts ignored",
                  "channels": media_truth},
        "retention": {
            **cfg, "offer_boost_by_persona": OFFER_BOOST,
            "window_end": str((pd.Timestamp(cfg["assigned_at"]) + pd.Timedelta(days=cfg["window_days"] - 1)).date()),
            "eligible": int(len(elig)), "treated": int(treated.sum()),
            "treated_share": float(treated.mean()) if len(elig) else float("nan"),
            "segment_counts": {k: int((seg_elig == k).sum()) for k in
                               ["persuadable", "sure_thing", "lost_cause", "sleeping_dog"]},
            "true_ate_purchase": float(uplift["uplift_purchase"].mean()),
            "true_ate_revenue": float(uplift["uplift_revenue"].mean()),
            "true_ate_margin": float(uplift["uplift_margin"].mean()),
            "observed_ate_purchase": float(y[treated].mean() - y[~treated].mean()),
            "segments": {"lost_cause": "not alive on the assignment day (no effect)",
                         "sleeping_dog": "alive, annoyed by vouchers: churn hazard +1/10 per day if treated",
                         "sure_thing": "alive, P(buy | control) >= 0.8: the voucher mostly costs margin",
                         "persuadable": "alive, P(buy | control) < 0.8: the offer lifts P(buy)"},
        },
        "reviews": {**REVIEWS, "aspects": list(ASPECTS), "count": len(reviews),
                    "negated_share": float(reviews_truth["negated"].mean()) if len(reviews) else 0.0,
                    "rating_counts": {str(k): int((reviews["rating"] == k).sum()) for k in range(1, 6)}},
        "future": {"alive_at_end": int(cust["alive_at_end"].sum()),
                   "expected_orders_2025": float(cust["orders_2025"].sum()),
                   "realised_orders_2025": n_orders_2025,
                   "expected_revenue_2025": float(cust["revenue_2025"].sum()),
                   "realised_revenue_2025": float(orders_2025["revenue"].sum()),
                   "expected_margin_2025": float(cust["margin_2025"].sum())},
        "experiment": ab_truth,
        "defects": defects,
        "sizes": {"customers": len(customers), "products": len(products),
                  "orders": int(pd.Series(order_num).nunique()),
                  "order_lines": len(orders), "orders_raw_rows": len(orders_raw), "ab_visitors": len(ab),
                  "retention_test": len(retention), "reviews": len(reviews),
                  "orders_2025_lines": len(orders_2025)},
    }
    truth = Truth(params=params, customers=truth_customers, customer_factors=cf,
                  product_factors=pf, expected_daily_revenue=edr, weekly_acquisition=acq,
                  retention_uplift=uplift, media_response=media_tab, reviews=reviews_truth,
                  orders_2025=orders_2025, customers_2025=customers_2025)
    products_out = products[["product_id", "name", "category", "brand", "price", "description"]]
    return Store(customers=customers, products=products_out, orders=orders, orders_raw=orders_raw,
                 marketing_spend=spend, promotions=promos, ab_test=ab, truth=truth,
                 tables=["customers", "products", "orders", "orders_raw", "marketing_spend", "promotions",
                         "ab_test", "retention_test", "reviews"],
                 retention_test=retention, reviews=reviews, version=2)


# --------------------------------------------------------------------------- writing
def _to_csv(df: pd.DataFrame, path: Path, float_format: str | None = None) -> None:
    """Write ``df`` as pandas' ``to_csv(index=False, lineterminator="\\n", float_format=...)`` would.

    Dates are written as YYYY-MM-DD. The text is the same byte for byte (Python's csv
    writer, as pandas uses it), but built faster: numbers and dates are formatted once per
    distinct value and rows are written in chunks, so a million-customer shop writes in
    seconds and without a second copy of the table as text.
    """
    columns = [df[c] for c in df.columns]
    if not all(_csv_kind(s.dtype) for s in columns):  # anything unusual: pandas itself
        out = df.copy()
        for col in out.columns:
            if pd.api.types.is_datetime64_any_dtype(out[col]):
                out[col] = out[col].dt.strftime("%Y-%m-%d")
        out.to_csv(path, index=False, lineterminator="\n", float_format=float_format)
        return
    kinds = [_csv_kind(s.dtype) for s in columns]
    arrays = [s.to_numpy() if k != "text" else s for s, k in zip(columns, kinds, strict=True)]
    # Neighbouring number/date columns are written as one cell "a,b,c" per distinct
    # combination of values (e.g. quantity, price, discount, revenue): fewer cells to join.
    groups, j = [], 0
    while j < len(kinds):
        k = j
        while k < len(kinds) and kinds[k] != "text":
            k += 1
        if k - j >= 2:
            groups.append(list(range(j, k)))
            j = k
        else:
            groups.append([j])
            j += 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([str(c) for c in df.columns])
        for lo in range(0, len(df), _CSV_CHUNK):
            # (Text as objects one chunk at a time: Arrow-backed text is not copied whole.)
            chunk = [a[lo:lo + _CSV_CHUNK] if k != "text" else a.iloc[lo:lo + _CSV_CHUNK].to_numpy(dtype=object)
                     for a, k in zip(arrays, kinds, strict=True)]
            try:  # the common case: every text cell a str; join the rows directly
                if len(chunk) < 2:
                    raise TypeError("one column: let the csv writer quote an empty cell")
                cols = []
                for g in groups:
                    if kinds[g[0]] == "text":
                        cells = chunk[g[0]].tolist()
                        if any(ch in "\0".join(cells) for ch in _CSV_SPECIAL):
                            cells = _csv_quote(cells)
                        cols.append(cells)
                    else:
                        cols.append(_csv_cells([_csv_codes(chunk[i], kinds[i], float_format) for i in g]))
                fh.write("\n".join(map(",".join, zip(*cols, strict=True))))
                fh.write("\n")
            except TypeError:  # missing values or non-text objects: pandas' rules via the csv writer
                cols = []
                for a, k in zip(chunk, kinds, strict=True):
                    if k == "text":
                        mask = pd.isna(a)
                        cols.append(np.where(mask, "", a).tolist() if mask.any() else a.tolist())
                    else:
                        codes, table = _csv_codes(a, k, float_format)
                        cols.append(table[codes].tolist())
                writer.writerows(zip(*cols, strict=True))


def _csv_cells(parts: list[tuple[np.ndarray, np.ndarray]]) -> list[str]:
    """Cells of one or more neighbouring formatted columns, joined by commas, from (codes, table) pairs."""
    parts = [(codes, _csv_quote(table.tolist())) for codes, table in parts]  # (numbers never need quotes)
    if len(parts) == 1:
        codes, table = parts[0]
        return np.array(table, dtype=object)[codes].tolist()
    sizes = [len(t) for _, t in parts]
    if float(np.prod(np.array(sizes, dtype=float))) >= 2.0 ** 62:  # too many combinations for one key
        return list(map(",".join, zip(*[np.array(t, dtype=object)[c].tolist() for c, t in parts], strict=True)))
    key = parts[0][0].astype(np.int64)
    for (codes, _), size in zip(parts[1:], sizes[1:], strict=True):
        key = key * size + codes
    inv, uniq = pd.factorize(key)
    digits = []
    for size in reversed(sizes):
        digits.append(uniq % size)
        uniq = uniq // size
    digits.reverse()
    text = list(map(",".join, zip(*[np.array(t, dtype=object)[d].tolist() for (_, t), d in zip(parts, digits, strict=True)],
                                  strict=True)))
    return np.array(text, dtype=object)[inv].tolist()


def _csv_quote(cells: list[str]) -> list[str]:
    """Cells as Python's csv writer (QUOTE_MINIMAL, as pandas uses it) writes them."""
    cr = "\r" in _CSV_SPECIAL
    distinct = set(cells)
    if len(distinct) < len(cells) // 4:  # few distinct texts (e.g. "$1,234.50"): quote each once
        quoted = {v: '"' + v.replace('"', '""') + '"' for v in distinct
                  if "," in v or '"' in v or "\n" in v or (cr and "\r" in v)}
        if not quoted:
            return cells
        return [quoted.get(v, v) for v in cells]
    return ['"' + v.replace('"', '""') + '"' if ("," in v or '"' in v or "\n" in v or (cr and "\r" in v)) else v
            for v in cells]


def _csv_special_chars() -> str:
    """The characters that make this Python's csv writer quote a cell (\\r: 3.12+ only)."""
    import io
    special = ',"\n'
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["a\rb", "c"])
    return special + ("\r" if buf.getvalue().startswith('"') else "")


_CSV_SPECIAL = _csv_special_chars()
_CSV_CHUNK = 200_000


def _csv_kind(dtype) -> str | None:
    """How :func:`_to_csv` writes a column of this dtype (None: leave it to pandas)."""
    if isinstance(dtype, np.dtype):
        if dtype.kind == "M":
            return "date"
        if dtype.kind == "f":
            return "float"
        if dtype.kind in "iu":
            return "int"
        if dtype.kind == "b":
            return "bool"
        if dtype.kind == "O":
            return "text"
        return None
    if isinstance(dtype, pd.StringDtype):
        return "text"
    return None


def _csv_codes(values: np.ndarray, kind: str, float_format: str | None) -> tuple[np.ndarray, np.ndarray]:
    """A formatted column chunk as (codes, table): cell i is ``table[codes[i]]``, as pandas writes it.

    Each distinct value is formatted once; missing values are ''.
    """
    codes, uniques = pd.factorize(values)
    if kind == "date":
        text = list(pd.DatetimeIndex(uniques).strftime("%Y-%m-%d"))
    elif kind == "float":
        uniques = np.asarray(uniques, dtype=float)
        text = (list(uniques.astype(str)) if float_format is None
                else [float_format % v for v in uniques.tolist()])
    else:  # int, bool: str() of the Python value
        text = [str(v) for v in np.asarray(uniques).tolist()]
    n_text = len(text)
    text.append("")  # missing
    codes = np.where(codes < 0, n_text, codes).astype(np.int64)
    if kind == "float":  # factorize holds 0.0 and -0.0 as one value; they print differently
        zero = values == 0
        if zero.any():
            neg = zero & np.signbit(values)
            zeros = np.array([0.0, -0.0])
            text += list(zeros.astype(str)) if float_format is None else [float_format % z for z in zeros.tolist()]
            codes[zero & ~neg] = n_text + 1
            codes[neg] = n_text + 2
    return codes, np.array(text, dtype=object)


def write(store: Store, path: str | Path, format: str = "csv") -> list[Path]:  # noqa: A002
    """Write every table, the truth and ``SHA256SUMS`` under ``path``; return the files written.

    Parameters
    ----------
    store : Store
        What :func:`generate` returned (version 1 or 2; version 2 adds seven files).
    path : str or os.PathLike
        The output folder (created if missing).
    format : {"csv", "parquet"}
        ``"csv"`` (default): the bundled layout, text with money to the cent and the truth
        to 4-6 decimals. ``"parquet"``: the same files as ``.parquet`` (``truth/truth.json``
        stays JSON), typed - dates as dates, ids and labels as strings, numbers at full
        precision - and about a quarter of the size; needs the optional dependency pyarrow
        (``pip install "mkt-lessons[parquet]"``). Read a table back with
        ``pandas.read_parquet``.

    Raises
    ------
    TypeError
        If ``store`` is not a Store or ``path`` is not a path.
    ValueError
        If ``path`` is empty or ``format`` is not "csv" or "parquet".
    ImportError
        If ``format="parquet"`` and pyarrow is not installed (nothing is written).

    Examples
    --------
    >>> import tempfile
    >>> files = write(generate(seed=1, n_customers=100), tempfile.mkdtemp())
    >>> len(files)  # data v2: 20 files (SHA256SUMS not counted)
    20
    """
    if not isinstance(store, Store):
        raise TypeError(f"store must be a Store returned by generate(), got {type(store).__name__}")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a folder path (str or pathlib.Path), got {type(path).__name__}")
    if isinstance(path, str) and not path.strip():
        raise ValueError("path must be a non-empty folder path, got ''")
    if not isinstance(format, str):
        raise TypeError(f"format must be 'csv' or 'parquet', got {type(format).__name__} {format!r}")
    format = check_option(format, "format", ["csv", "parquet"])  # noqa: A001
    if format == "parquet":
        _require_pyarrow()  # before anything is written
    root = Path(path)
    (root / "truth").mkdir(parents=True, exist_ok=True)
    written = []
    money = "%.2f"
    plan = [
        ("customers.csv", store.customers, None),
        ("products.csv", store.products, money),
        ("orders.csv", store.orders, money),
        ("orders_raw.csv", store.orders_raw, None),
        ("marketing_spend.csv", store.marketing_spend, money),
        ("promotions.csv", store.promotions, money),
        ("ab_test.csv", store.ab_test, money),
        ("truth/customers.csv", store.truth.customers, "%.6f"),
        ("truth/customer_factors.csv", store.truth.customer_factors, "%.5f"),
        ("truth/product_factors.csv", store.truth.product_factors, "%.5f"),
        ("truth/expected_daily_revenue.csv", store.truth.expected_daily_revenue, "%.4f"),
        ("truth/weekly_acquisition.csv", store.truth.weekly_acquisition, "%.5f"),
    ]
    if store.version == 2:
        plan += [
            ("retention_test.csv", store.retention_test, money),
            ("reviews.csv", store.reviews, None),
            ("truth/retention_uplift.csv", store.truth.retention_uplift, "%.6f"),
            ("truth/media_response.csv", store.truth.media_response, "%.6f"),
            ("truth/reviews.csv", store.truth.reviews, "%.5f"),
            ("truth/orders_2025.csv", store.truth.orders_2025, money),
            ("truth/customers_2025.csv", store.truth.customers_2025, "%.6f"),
        ]
    for name, df, ff in plan:
        if format == "parquet":
            name = name.removesuffix(".csv") + ".parquet"
            _to_parquet(df, root / name)
        else:
            _to_csv(df, root / name, ff)
        written.append(root / name)
    tj = root / "truth" / "truth.json"
    tj.write_text(json.dumps(_jsonable(store.truth.params), indent=2, sort_keys=False) + "\n")
    written.append(tj)
    sums = "".join(f"{_sha256(p)}  {p.relative_to(root).as_posix()}\n" for p in sorted(written))
    (root / "SHA256SUMS").write_text(sums)
    return written


PARQUET_EXTRA_HINT = ('pip install "mkt-lessons[parquet]"  (or: pip install pyarrow)')


def _require_pyarrow():
    """pyarrow.parquet, or an ImportError that says how to install it."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError("write(..., format='parquet') needs pyarrow, an optional dependency of "
                          "mkt-lessons (the [parquet] extra). Install it with: " + PARQUET_EXTRA_HINT
                          + " - or write CSV (the default format).") from None
    return pq


_PARQUET_CHUNK = 1_000_000  # rows per row group: the conversion never holds a big table twice


def _to_parquet(df: pd.DataFrame, path: Path) -> None:
    """One table as Parquet: dates (day resolution) as date32, text as strings, in row groups."""
    import pyarrow as pa

    pq = _require_pyarrow()
    dates = {c for c in df.columns if pd.api.types.is_datetime64_any_dtype(df[c])}
    inferred = pa.Schema.from_pandas(df, preserve_index=False)
    schema = pa.schema([pa.field(f.name, pa.date32()) if f.name in dates else f for f in inferred],
                       metadata=inferred.metadata)
    with pq.ParquetWriter(path, schema) as writer:
        for lo in range(0, max(len(df), 1), _PARQUET_CHUNK):
            part = pa.Table.from_pandas(df.iloc[lo:lo + _PARQUET_CHUNK], preserve_index=False)
            writer.write_table(part.cast(schema))


def _sha256(p: Path) -> str:
    with open(p, "rb") as fh:  # in blocks: a million-customer file is ~700 MB
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return float(round(float(x), 10))
    return x


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m mkt_lessons.synth --out DIR [--seed S] [--n-customers N] [--version 2]
    [--format csv|parquet]``.

    ``argv`` is the list of arguments (None: the process's own). Prints what it generated
    and how long it took. ``--format parquet`` needs pyarrow (``pip install "mkt-lessons[parquet]"``);
    without it the command stops with that message before generating anything.
    """
    if argv is not None and (not isinstance(argv, (list, tuple)) or not all(isinstance(a, str) for a in argv)):
        raise TypeError(f"argv must be a list of strings (or None), got {argv!r}")
    ap = argparse.ArgumentParser(prog="python -m mkt_lessons.synth", description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="datasets", help="output folder (default: datasets)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--n-customers", type=int, default=DEFAULT_N_CUSTOMERS)
    ap.add_argument("--version", type=int, default=2, choices=[1, 2],
                    help="data version (default 2, the bundled data; 1 is the first shop)")
    ap.add_argument("--format", default="csv", choices=["csv", "parquet"],
                    help="file format (default csv, the bundled layout; parquet needs pyarrow)")
    args = ap.parse_args(argv)
    if args.format == "parquet":
        try:
            _require_pyarrow()
        except ImportError as e:
            ap.error(str(e))
    t0 = time.perf_counter()
    store = generate(seed=args.seed, n_customers=args.n_customers, version=args.version)
    t1 = time.perf_counter()
    files = write(store, args.out, format=args.format)
    t2 = time.perf_counter()
    size = sum(f.stat().st_size for f in files)
    s = store.truth.params["sizes"]
    print(f"generated {s['customers']:,} customers, {s['orders']:,} orders, {s['order_lines']:,} lines "
          f"in {t1 - t0:.1f} s; wrote {len(files)} files ({size / 1e6:.1f} MB, {args.format}) to {args.out} "
          f"in {t2 - t1:.1f} s")


__all__ = ["DEFAULT_N_CUSTOMERS", "DEFAULT_SEED", "Store", "Truth", "generate", "main", "order_revenue",
           "promotions_calendar", "write"]

if __name__ == "__main__":
    main()

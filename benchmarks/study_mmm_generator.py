"""Study: which change to the data generator would make the shop's media identifiable?

A proposal for a future data version, measured without touching ``synth.py`` or
``datasets/``: each variant patches the generator *in memory* (its spend schedule after
``synth._marketing_v2`` and the ``synth.MEDIA`` lifts), regenerates the shop with several
seeds, and reports per channel

* with the TRUE saturation curves plugged in (a Poisson GLM on lesson 12's daily table: active
  base offset, calendar, voucher): the median t of the lift, the median standard error /
  true lift (the information in the data) and how often the 95% interval covers the true
  ``log(1 + max_lift)`` (is the baseline right?);
* with lesson 12's own model (``PoissonMixModel``, K = 0.5 x mean weekly spend, shape 1): how
  often the marginal-ROAS interval covers the truth and lies above zero.

Variants (names combine): ``base``; ``dark`` (affiliate dark in four fortnights, paid search
in two more); ``step`` (affiliate's x1.6 budget step moved from 2024-04-01, the voucher's
week, to 2024-07-01); ``burst2`` (display two weeks on, two off, same budget); ``lift1.5``
(every max_lift x1.5); ``aff3`` (affiliate's max_lift x3 on top). Acquisition is left as the
unpatched schedule drew it (a study of the repeat-purchase response only). Slow (about 20 s
per seed); not run by ``benchmarks/run.py``. Usage:
``python benchmarks/study_mmm_generator.py dark_step_burst2_lift1.5_aff3 1,2,3,4``.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from bench_mmm import SHOP_SPEC, shop_table

from mkt_lessons import mmm, synth
from mkt_lessons.constants import CHANNELS

CH = list(CHANNELS)


def patch(variant: str) -> None:
    """Patch the generator in memory for ``variant`` (see the module docstring)."""
    base_media = {c: dict(v) for c, v in synth.MEDIA.items()}
    mult = float(variant.split("lift")[1].split("_")[0]) if "lift" in variant else 1.0
    for c in synth.MEDIA:
        extra = 3.0 if (c == "affiliate" and "aff3" in variant) else 1.0
        synth.MEDIA[c] = dict(base_media[c], max_lift=base_media[c]["max_lift"] * mult * extra)
    orig = synth._marketing_v2

    def patched(rng, n_customers):
        ms, acq, params, wide = orig(rng, n_customers)
        n = wide.shape[0]
        if "dark" in variant:
            for s in np.linspace(8, n - 12, 4).astype(int):
                wide[s:s + 2, CH.index("affiliate")] = 0.0
            for s in np.linspace(20, n - 30, 2).astype(int):
                wide[s:s + 2, CH.index("paid_search")] = 0.0
        if "step" in variant:
            weeks = pd.date_range(synth.START, synth.END, freq="W-SUN")
            moved = (weeks >= pd.Timestamp("2024-04-01")) & (weeks < pd.Timestamp("2024-07-01"))
            wide[moved, CH.index("affiliate")] /= 1.6
        if "burst2" in variant:
            j = CH.index("display")
            total = wide[:, j].sum()
            wide[(np.arange(n) // 2) % 2 == 1, j] = 0.0
            wide[:, j] *= total / wide[:, j].sum()
        ms = ms.copy()
        ms["spend"] = wide.ravel()
        return ms, acq, params, wide

    synth._marketing_v2 = patched


def one_seed(seed: int) -> tuple[pd.DataFrame, float]:
    store = synth.generate(seed=seed)
    shop = shop_table(store.orders, store.marketing_spend, store.retention_test)
    sat = store.truth.media_response.pivot_table(index="week_start", columns="channel",
                                                 values="saturation", observed=True)[CH]
    H = sat.reindex(pd.DatetimeIndex(shop["week_start"])).to_numpy()
    cal = mmm._period_calendar(pd.DatetimeIndex(shop["date"]), 1, shop["date"].iloc[0], True, 2,
                               True, True, True)
    Z = np.column_stack([cal.to_numpy(), shop["voucher"].to_numpy(), H])
    glm = sm.GLM(shop["repeat_orders"].to_numpy(), Z, family=sm.families.Poisson(),
                 offset=np.log(shop["active_customers"].to_numpy())).fit()
    se = glm.bse[-4:] * np.sqrt(glm.pearson_chi2 / glm.df_resid)
    est = glm.params[-4:]
    media = store.truth.params["media"]
    true = np.log1p([media["channels"][c]["max_lift"] for c in CH])
    model = mmm.PoissonMixModel(**SHOP_SPEC, n_draws=1000).fit(shop)
    r = model.roas()
    tm = np.array([media["channels"][c]["marginal_roas"] for c in CH])
    share = sum(v["incremental_revenue"] for v in media["channels"].values()) / media[
        "expected_repeat_revenue_2023_2024"]
    out = pd.DataFrame({"t": est / se, "se_rel": se / true, "covers": np.abs(est - true) < 1.96 * se,
                        "mroas_covers": (r["mroas_low"].to_numpy() <= tm) & (tm <= r["mroas_high"].to_numpy()),
                        "mroas_above_0": r["mroas_low"].to_numpy() > 0}, index=CH)
    return out, share


def main(variant: str = "base", seeds: str = "1,2,3,4") -> None:
    patch(variant)
    rows, shares = [], []
    for seed in (int(s) for s in seeds.split(",")):
        out, share = one_seed(seed)
        rows.append(out)
        shares.append(share)
    g = pd.concat(rows).groupby(level=0, sort=False)
    print(f"variant {variant}, seeds {seeds}: media share of expected repeat revenue "
          f"{np.mean(shares):.1%} on average")
    print(pd.DataFrame({"true curves: median t": g["t"].median(),
                        "median SE / true lift": g["se_rel"].median(),
                        "95% covers": g["covers"].mean(),
                        "lesson model: mROAS covers": g["mroas_covers"].mean(),
                        "mROAS interval > 0": g["mroas_above_0"].mean()}).round(2).to_string())


if __name__ == "__main__":
    main(*sys.argv[1:3])

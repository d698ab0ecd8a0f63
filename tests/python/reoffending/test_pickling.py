"""Results and partial tables pickle and come back equal, so they can be cached, sent to other
processes (multiprocessing, Dask) and stored."""

import pickle

import pandas as pd

import yosmodel as ym


def test_rates_table_pickles_with_its_dtypes(random_cohort):
    table = ym.reoffending_rates(random_cohort(1000), by=["quarter", "sex"],
                                 previous_offences="previous_offences")
    back = pickle.loads(pickle.dumps(table))
    pd.testing.assert_frame_equal(back, table, check_exact=True)
    assert isinstance(back["quarter"].dtype, pd.CategoricalDtype)


def test_partial_and_keys_pickle_and_still_finalise(random_cohort):
    df = random_cohort(1000)
    partial, keys = ym.reoffending_partial(df, by=["yjs", "sex"])
    partial_back, keys_back = pickle.loads(pickle.dumps((partial, keys)))
    assert partial_back == partial
    assert [k.name for k in keys_back] == ["yjs", "sex"]
    from yosmodel.reoffending import rates_frame

    pd.testing.assert_frame_equal(
        rates_frame(partial_back, keys_back, level=0.95, method="wilson", with_previous=False),
        ym.reoffending_rates(df, by=["yjs", "sex"]), check_exact=True)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(partial, protocol=protocol)) == partial

"""Write the synthetic aggregate fixtures for `hnb fit --history --population` tests.

Plans by age band 2014-2020 generated exactly from known rates with the stock-flow identity of
docs/CALIBRATION.md (AggregateFit): cessation by band, incidence by band with a straight-line
trend, plans spread evenly over each band's ages. Output: Tests/HighNeedsTests/Fixtures/calibration/
aggregate_bands.csv (year,age,plans) and aggregate_population.csv (year,age,population).
"""
from pathlib import Path

bands = [("under 5", 0, 4), ("5-10", 5, 10), ("11-15", 11, 15), ("16-19", 16, 19), ("20-25", 20, 25)]
cessation = [0.02, 0.03, 0.05, 0.15, 0.25]
incidence_last = [0.001, 0.004, 0.003, 0.002, 0.0005]  # at 2020
trend_fraction = 0.04  # of the 2020 rate per year
years = range(2014, 2021)
population = {y: {a: 3000.0 * (1.01 ** (y - 2014)) * (1 - 0.01 * a) for a in range(26)} for y in years}
stock = {2014: [300.0, 1500.0, 1300.0, 700.0, 200.0]}
for y in list(years)[1:]:
    prev = stock[y - 1]
    new = []
    for b, (_, lo, hi) in enumerate(bands):
        w = hi - lo + 1
        aged = prev[b] * (1 - 1 / w) + (prev[b - 1] / (bands[b - 1][2] - bands[b - 1][1] + 1) if b else 0)
        pop = sum(population[y][a] for a in range(lo, hi + 1))
        inc = incidence_last[b] * (1 + trend_fraction * (y - 2020))
        new.append(aged * (1 - cessation[b]) + pop * inc)
    stock[y] = new
out = Path(__file__).resolve().parents[2] / "Tests" / "HighNeedsTests" / "Fixtures" / "calibration"
with open(out / "aggregate_bands.csv", "w") as f:
    f.write("year,age,plans\n")
    for y in years:
        for b, (label, _, _) in enumerate(bands):
            f.write(f"{y},{label},{stock[y][b]:.9f}\n")
with open(out / "aggregate_population.csv", "w") as f:
    f.write("year,age,population\n")
    for y in years:
        for a in range(26):
            f.write(f"{y},{a},{population[y][a]:.6f}\n")

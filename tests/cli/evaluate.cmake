# SPDX-License-Identifier: MIT
# hotmap evaluate: a hand-made grid with hit rate, PAI, PEI and RRI worked out by hand, for
# density and Gi* rankings, the table on stdout, the curve, bad inputs (clear error, right exit
# code, no partial output), and the San Francisco data.
#
# tests/data/evaluate_cells.csv on the 32 cells of 250 m of two_squares.geojson (8 x 4; below a
# cell is named r*8 + c for its row r and column c; its cell_id is r*9 + c):
# training (January 2024) 10, 6, 4, 2 incidents in cells 0, 9, 18, 27 (22 in all); test
# (February) 5, 1, 8, 6 in cells 0, 9, 18, 31 (20). With a 100 m kernel each cell's density is
# its own count, so the ranking is 0, 9, 18, 27, then the empty cells by id. Shares
# 3.125 / 6.25 / 12.5 / 50% are 1 / 2 / 4 / 16 cells:
#   1 cell  (0):           5 hits = 25%, PAI 25/3.125 = 8,  best 8:  PEI 0.625, RRI (5/10)/(20/22) = 0.55
#   2 cells (0, 9):        6 hits = 30%, PAI 4.8,           best 14: PEI 3/7,   RRI (6/16)/(20/22) = 0.4125
#   4 cells (0, 9, 18, 27): 14 hits = 70%, PAI 5.6,          best 20: PEI 0.7,   RRI (14/22)/(20/22) = 0.7
#   16 cells: the same 14 hits (cell 31 is ranked last): 70%, PAI 1.4, PEI 0.7, RRI 0.7
# Gi* with a 260 m band (the 4 nearest cells): cells 1 and 8 (lag 10 + 6 over 4 cells, z 6.97)
# rank above cell 0 (10 over 3 cells, z 4.74) and cells 10 and 17 (10 over 5, z 3.15): one cell
# (1) catches nothing (PAI 0, PEI 0, RRI null: no training hit); four cells (1, 8, 0, 10) catch
# cell 0's 5: 25%, PAI 2, PEI 5/20 = 0.25, RRI (5/10)/(20/22) = 0.55.
add_command_basics(evaluate)
set(EV_IN -i @DATA@/evaluate_cells.csv --incidents-crs EPSG:32735 -d @DATA@/two_squares.geojson)
set(EV_WIN --train 2024-01-01,2024-02-01 --test 2024-02-01,2024-03-01)
add_cli_test(NAME evaluate-density-by-hand ARGS evaluate ${EV_IN} ${EV_WIN} --bandwidth 100 --shares 3.125,6.25,12.5,50 -o out.csv
             OUTPUTS out.csv
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx 'method,area_share_pct,hit_rate_pct,pai,pei,rri,cells,area_pct,hits,best_hits,train_hits' plain.csv && grep -qx 'density,3.125,25,8,0.625,0.55,1,3.125,5,8,10' plain.csv && grep -Eqx 'density,6.25,30,4.8,0.428571428571429,0.4125,2,6.25,6,14,16' plain.csv && grep -qx 'density,12.5,70,5.6,0.7,0.7,4,12.5,14,20,22' plain.csv && grep -qx 'density,50,70,1.4,0.7,0.7,16,50,14,20,22' plain.csv && test $(wc -l < plain.csv) -eq 5")
add_cli_test(NAME evaluate-gistar-by-hand ARGS evaluate ${EV_IN} ${EV_WIN} --by gistar --distance 260 --shares 12.5,3.125 -o out.csv
             CHECK_CMD sh -c "tr -d '\\042' < out.csv > plain.csv && grep -qx 'gistar,3.125,0,0,0,,1,3.125,0,8,0' plain.csv && grep -qx 'gistar,12.5,25,2,0.25,0.55,4,12.5,5,20,10' plain.csv && sed -n 2p plain.csv | grep -q '^gistar,3.125,'")
add_cli_test(NAME evaluate-table ARGS evaluate ${EV_IN} ${EV_WIN} --bandwidth 100 --by density,gistar --distance 260 --shares 3.125,12.5
             STDOUT_REGEX "method +share% +cells +hit% +PAI +PEI +RRI"
                          "density +3\\.125 +1 +25\\.00 +8\\.000 +0\\.625 +0\\.550"
                          "density +12\\.5 +4 +70\\.00 +5\\.600 +0\\.700 +0\\.700"
                          "gistar +3\\.125 +1 +0\\.00 +0\\.000 +0\\.000 +-"
                          "gistar +12\\.5 +4 +25\\.00 +2\\.000 +0\\.250 +0\\.550"
                          "study area: 32 cells; incidents in them: train 22, test 20"
                          "density: bandwidth 100 m, kernel quartic" "gistar: distance band 260 m")
add_cli_test(NAME evaluate-curve ARGS evaluate -q ${EV_IN} ${EV_WIN} --bandwidth 100 --by density,gistar --distance 260 -o t.csv --curve c.csv
             OUTPUTS t.csv c.csv
             CHECK_CMD sh -c "test $(wc -l < t.csv) -eq 11 && test $(wc -l < c.csv) -eq 219 && tr -d '\\042' < c.csv | grep -qx 'density,100,100,1,1,1,32,100,20,20,22' && tr -d '\\042' < c.csv | grep -q '^density,0.1,25,8,0.625,0.55,1,3.125,'")
add_cli_test(NAME evaluate-auto-settings ARGS evaluate ${EV_IN} ${EV_WIN} --by density,gistar -o out.csv -v
             STDERR_REGEX "density: bandwidth [0-9.]+ m \\(auto, ArcGIS rule on the training incidents\\), kernel quartic.*gistar: distance band [0-9.]+ m \\(auto\\)"
             OUTPUTS out.csv)
# bad inputs
add_cli_test(NAME evaluate-share-zero ARGS evaluate ${EV_IN} ${EV_WIN} --shares 0,5 -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --shares must be positive and at most 100, got 0" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-share-too-big ARGS evaluate ${EV_IN} ${EV_WIN} --shares 5,150 -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --shares must be positive and at most 100, got 150" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-share-text ARGS evaluate ${EV_IN} ${EV_WIN} --shares 1,two -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --shares 'two': expected a number" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-share-twice ARGS evaluate ${EV_IN} ${EV_WIN} --shares 5,10,5 -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --shares '5,10,5': 5 is given twice" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-bad-method ARGS evaluate ${EV_IN} ${EV_WIN} --by kde -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: --by 'kde': expected density or gistar" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-not-csv ARGS evaluate ${EV_IN} ${EV_WIN} -o out.geojson EXPECT_RC 2
             STDERR_REGEX "error: --output 'out.geojson': the evaluation table is a CSV file" NO_OUTPUTS out.geojson)
add_cli_test(NAME evaluate-overlap ARGS evaluate ${EV_IN} --train 2024-01-01,2024-02-02 --test 2024-02-01,2024-03-01 -o out.csv --curve c.csv
             EXPECT_RC 2 STDERR_REGEX "error: --train 2024-01-01,2024-02-02 and --test 2024-02-01,2024-03-01 overlap" NO_OUTPUTS out.csv c.csv)
add_cli_test(NAME evaluate-missing-test ARGS evaluate ${EV_IN} --train 2024-01-01,2024-02-01 -o out.csv EXPECT_RC 2
             STDERR_REGEX "error: .*'--test' is required" NO_OUTPUTS out.csv)
add_cli_test(NAME evaluate-empty-test ARGS evaluate ${EV_IN} --train 2024-01-01,2024-02-01 --test 2024-06-01,2024-07-01 -o out.csv --curve c.csv
             EXPECT_RC 1 STDERR_REGEX "error: --test \\[2024-06-01 00:00:00, 2024-07-01 00:00:00\\): no incident in this window" NO_OUTPUTS out.csv c.csv)
# San Francisco 2012: train July-September, test October-December, 250 m cells in the
# neighbourhoods, both methods; the scores must be consistent whatever their values
set(SF @SHARED@/realdata/sf_crime_2012)
add_cli_test(NAME evaluate-sf ARGS evaluate -q -i ${SF}/incidents.csv -d ${SF}/analysis_neighborhoods_32610.geojson
             --train 2012-07-01,2012-10-01 --test 2012-10-01,2013-01-01 --by density,gistar -o out.csv --curve curve.csv
             OUTPUTS out.csv curve.csv
             CHECK_CMD python3 -c "import csv\nfor path in ('out.csv', 'curve.csv'):\n    rows = list(csv.DictReader(open(path)))\n    for m in ('density', 'gistar'):\n        r = [x for x in rows if x['method'] == m]\n        assert r, (path, m)\n        last = 0\n        for x in r:\n            h, b, k, a = int(x['hits']), int(x['best_hits']), int(x['cells']), float(x['area_pct'])\n            assert h <= b and h >= last, x\n            last = h\n            assert abs(float(x['pai']) - float(x['hit_rate_pct']) / a) < 1e-9, x\n            assert abs(float(x['pei']) - h / b) < 1e-12, x\n            assert 0 <= float(x['pei']) <= 1, x\n        assert float(r[-1]['hit_rate_pct']) == 100.0 or path == 'out.csv'\n")
# identical bytes for 1, 2 and 7 threads (chunks of at most 64 items: several threads really run)
if(EXISTS "${PROJECT_SOURCE_DIR}/data-samples/kalemie/incidents.csv")
  set(K @SAMPLES@/kalemie)
  set(cmd "")
  foreach(t 1 2 7)
    string(APPEND cmd "HOTMAP_CHUNK_CAP=64 \"$HOTMAP\" evaluate -q -i ${K}/incidents.csv -d ${K}/districts.geojson --train 2024-01-01,2025-01-01 --test 2025-01-01,2026-01-01 --by density,gistar --threads ${t} -o t${t}.csv --curve c${t}.csv && ")
  endforeach()
  add_cli_test(NAME threads-evaluate ARGS --version STDOUT_REGEX "^hotmap"
               CHECK_CMD sh -c "${cmd}cmp t1.csv t2.csv && cmp t1.csv t7.csv && cmp c1.csv c2.csv && cmp c1.csv c7.csv")
endif()

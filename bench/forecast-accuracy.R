# Reference side of npm run bench:forecast-accuracy (bench/forecast-accuracy.ts runs it).
# Usage: Rscript bench/forecast-accuracy.R OUTDIR [extra.csv]
# Exports public series bundled with R (package datasets) and with the forecast package, each with real or
# documented timestamps, and forecasts every series' held-out tail with R's forecast package: ets() for no or
# one seasonal period up to 24, stlm() (mstl + ets on the seasonally adjusted series) for several periods or a
# longer one. extra.csv (series_id,timestamp,value,horizon,periods) adds series made elsewhere (the app's demo
# usage). Writes OUTDIR/series.csv (series_id,timestamp,value: full series, gaps filled by linear
# interpolation), OUTDIR/meta.csv (series_id,horizon,periods,r_method,source) and OUTDIR/r_forecasts.csv
# (series_id,step,mean,lo80,hi80).
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
extra <- if (length(args) > 1) args[2] else NA

S <- list()
add <- function(id, values, times, horizon, periods, source) {
  values <- as.numeric(values)
  if (anyNA(values)) values <- as.numeric(approx(seq_along(values), values, seq_along(values), rule = 2)$y)
  S[[length(S) + 1]] <<- list(id = id, values = values, times = times, horizon = horizon, periods = periods, source = source)
}
month_times <- function(x, step = 1) {
  st <- start(x); f <- frequency(x)
  y0 <- st[1]; m0 <- if (f == 12) st[2] else if (f == 4) (st[2] - 1) * 3 + 1 else 1
  k <- (seq_along(x) - 1) * step + (m0 - 1)
  sprintf("%04d-%02d-01", y0 + k %/% 12, k %% 12 + 1)
}
year_times <- function(x, every = 1) sprintf("%04d-01-01", as.integer(round(time(x)[1])) + (seq_along(x) - 1) * every)
fixed_times <- function(n, start, seconds) format(as.POSIXct(start, tz = "UTC") + (seq_len(n) - 1) * seconds, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
day_times <- function(n, start) format(as.Date(start) + seq_len(n) - 1, "%Y-%m-%d")

# monthly (horizon 18 as in M3; 12 for the six-year series)
add("AirPassengers", AirPassengers, month_times(AirPassengers), 18, 12, "datasets: airline passengers 1949-60 (trend, multiplicative seasonality)")
add("USAccDeaths", USAccDeaths, month_times(USAccDeaths), 12, 12, "datasets: US accidental deaths 1973-78 (short)")
add("co2", co2, month_times(co2), 24, 12, "datasets: Mauna Loa CO2 1959-97 (trend + seasonality)")
add("nottem", nottem, month_times(nottem), 24, 12, "datasets: Nottingham temperatures 1920-39 (pure seasonality)")
add("ldeaths", ldeaths, month_times(ldeaths), 12, 12, "datasets: UK lung disease deaths 1974-79")
add("UKDriverDeaths", UKDriverDeaths, month_times(UKDriverDeaths), 18, 12, "datasets: UK driver deaths 1969-84 (level shift: 1983 seat-belt law)")
add("Seatbelts.front", Seatbelts[, "front"], month_times(Seatbelts[, "front"]), 18, 12, "datasets: front-seat casualties (level shift 1983)")
add("Seatbelts.kms", Seatbelts[, "kms"], month_times(Seatbelts[, "kms"]), 18, 12, "datasets: distance driven (trend + seasonality)")
add("gas", gas, month_times(gas), 24, 12, "forecast: Australian gas production 1956-95 (strong trend, multiplicative seasonality)")
add("wineind", wineind, month_times(wineind), 18, 12, "forecast: Australian wine sales 1980-94")
sm <- window(sunspot.month, start = c(1795, 1), end = c(1834, 12))
add("sunspot.month.1795", sm, month_times(sm), 18, 12, "datasets: monthly sunspots 1795-1834 (Dalton minimum: many zeros, no calendar seasonality)")
add("mdeaths", mdeaths, month_times(mdeaths), 12, 12, "datasets: UK lung disease deaths, males")
add("fdeaths", fdeaths, month_times(fdeaths), 12, 12, "datasets: UK lung disease deaths, females")
add("Seatbelts.rear", Seatbelts[, "rear"], month_times(Seatbelts[, "rear"]), 18, 12, "datasets: rear-seat casualties (not covered by the 1983 law)")
add("Seatbelts.PetrolPrice", Seatbelts[, "PetrolPrice"], month_times(Seatbelts[, "PetrolPrice"]), 18, 12, "datasets: real petrol price (trend, weak seasonality)")
# quarterly (horizon 8 as in M3)
add("JohnsonJohnson", JohnsonJohnson, month_times(JohnsonJohnson, 3), 8, 4, "datasets: J&J earnings per share 1960-80 (exponential trend, multiplicative)")
add("UKgas", UKgas, month_times(UKgas, 3), 8, 4, "datasets: UK gas consumption 1960-86 (multiplicative seasonality)")
add("austres", austres, month_times(austres, 3), 8, 4, "datasets: Australian residents 1971-93 (smooth damped-ish trend)")
add("woolyrnq", woolyrnq, month_times(woolyrnq, 3), 8, 4, "forecast: Australian woollen yarn production 1965-94")
add("presidents", presidents, month_times(presidents, 3), 8, 4, "datasets: US presidential approval 1945-74 (6 missing quarters interpolated)")
add("freeny.y", freeny.y, month_times(freeny.y, 3), 8, 4, "datasets: Freeny's revenue series (short trend)")
# yearly (horizon 6 as in M3/M4; decennial 3)
add("Nile", Nile, year_times(Nile), 6, integer(0), "datasets: Nile flow 1871-1970 (level shift 1898)")
add("LakeHuron", LakeHuron, year_times(LakeHuron), 6, integer(0), "datasets: Lake Huron level 1875-1972")
add("lynx", lynx, year_times(lynx), 6, integer(0), "datasets: Canadian lynx trappings 1821-1934 (cycles)")
add("airmiles", airmiles, year_times(airmiles), 6, integer(0), "datasets: US airline passenger miles 1937-60 (short, strong trend)")
add("nhtemp", nhtemp, year_times(nhtemp), 6, integer(0), "datasets: New Haven temperature 1912-71")
add("discoveries", discoveries, year_times(discoveries), 6, integer(0), "datasets: great discoveries per year 1860-1959 (counts with zeros)")
add("sunspot.year", sunspot.year, year_times(sunspot.year), 6, integer(0), "datasets: yearly sunspots 1700-1988")
tr <- window(treering, start = 1680)
add("treering.1680", tr, year_times(tr), 6, integer(0), "datasets: tree-ring widths 1680-1979")
add("longley.GNP", longley$GNP, sprintf("%04d-01-01", longley$Year), 4, integer(0), "datasets: longley GNP 1947-62 (short, trend)")
add("longley.Employed", longley$Employed, sprintf("%04d-01-01", longley$Year), 4, integer(0), "datasets: longley employed 1947-62 (short)")
add("uspop", uspop, year_times(uspop, 10), 3, integer(0), "datasets: US population by census 1790-1970 (every 10 years)")
# weekly: five trading days per week (1991-98), periods 52 with two years
for (k in c("DAX", "SMI", "CAC", "FTSE")) {
  x <- EuStockMarkets[, k]; nw <- length(x) %/% 5
  w <- colMeans(matrix(x[1:(nw * 5)], nrow = 5))
  add(paste0("EuStock.", k, ".weekly"), w, day_times(nw * 7, "1991-07-01")[seq(1, nw * 7, by = 7)], 13, 52, "datasets: EuStockMarkets, weekly means of five trading days")
}
# daily (horizon 14 as in M4)
tay <- as.numeric(taylor)
td <- colSums(matrix(tay, nrow = 48))
add("taylor.daily", td, day_times(length(td), "2000-06-05"), 14, 7, "forecast: taylor electricity demand summed per day (12 weeks, weekly cycle)")
add("gold", gold, day_times(length(gold), "1985-01-01"), 14, c(7, 365), "forecast: daily gold price 1985-89, trading days numbered as consecutive days (34 missing interpolated)")
add("airquality.Temp", airquality$Temp, day_times(nrow(airquality), "1973-05-01"), 14, 7, "datasets: New York daily maximum temperature May-Sep 1973")
add("airquality.Wind", airquality$Wind, day_times(nrow(airquality), "1973-05-01"), 14, 7, "datasets: New York daily average wind speed May-Sep 1973")
# half-hourly and hourly with two seasonal periods (horizon one week)
add("taylor.halfhourly", tay, fixed_times(length(tay), "2000-06-05 00:00:00", 1800), 336, c(48, 336), "forecast: taylor half-hourly electricity demand, England & Wales, Jun-Aug 2000")
th <- colSums(matrix(tay, nrow = 2))
add("taylor.hourly", th, fixed_times(length(th), "2000-06-05 00:00:00", 3600), 168, c(24, 168), "forecast: taylor summed per hour")
# minute-level, non-seasonal
add("WWWusage", WWWusage, fixed_times(length(WWWusage), "2000-01-01 00:00:00", 60), 10, integer(0), "datasets: users on a server, one value per minute (clock start assumed)")
add("lh", lh, fixed_times(length(lh), "2000-01-01 00:00:00", 600), 8, integer(0), "datasets: luteinizing hormone every 10 minutes (clock start assumed)")
for (b in c("beaver1", "beaver2")) {
  d <- get(b)
  t <- as.POSIXct(sprintf("1990-01-01 %02d:%02d:00", d$time %/% 100, d$time %% 100), tz = "UTC") + (d$day - d$day[1]) * 86400
  grid <- seq(min(t), max(t), by = 600)
  v <- approx(as.numeric(t), d$temp, as.numeric(grid))$y
  add(b, v, format(grid, "%Y-%m-%dT%H:%M:%SZ", tz = "UTC"), 12, integer(0), sprintf("datasets: %s body temperature every 10 minutes%s", b, if (b == "beaver2") " (level shift when active)" else ""))
}
if (!is.na(extra)) {
  e <- read.csv(extra, stringsAsFactors = FALSE)
  for (id in unique(e$series_id)) {
    r <- e[e$series_id == id, ]
    add(id, r$value, r$timestamp, r$horizon[1], as.integer(strsplit(as.character(r$periods[1]), " ")[[1]]), "extra")
  }
}

series_rows <- list(); meta_rows <- list(); fc_rows <- list()
for (s in S) {
  n <- length(s$values); h <- s$horizon
  train <- s$values[1:(n - h)]
  p <- s$periods[s$periods * 2 <= length(train)]
  if (length(p) == 0) {
    fit <- ets(ts(train)); method <- "ets"
  } else if (length(p) == 1 && p <= 24) {
    fit <- ets(ts(train, frequency = p)); method <- sprintf("ets(m=%d)", p)
  } else {
    fit <- stlm(msts(train, seasonal.periods = p), method = "ets"); method <- sprintf("stlm(%s)", paste(p, collapse = ","))
  }
  fc <- forecast(fit, h = h, level = 80)
  method <- paste0(method, " ", gsub(" ", "", if (inherits(fit, "ets")) fit$method else fit$model$method))
  series_rows[[length(series_rows) + 1]] <- data.frame(series_id = s$id, timestamp = s$times, value = s$values)
  meta_rows[[length(meta_rows) + 1]] <- data.frame(series_id = s$id, horizon = h, periods = paste(s$periods, collapse = " "), r_method = method, source = s$source)
  fc_rows[[length(fc_rows) + 1]] <- data.frame(series_id = s$id, step = seq_len(h), mean = as.numeric(fc$mean), lo80 = as.numeric(fc$lower[, 1]), hi80 = as.numeric(fc$upper[, 1]))
}
write.csv(do.call(rbind, series_rows), file.path(out, "series.csv"), row.names = FALSE)
write.csv(do.call(rbind, meta_rows), file.path(out, "meta.csv"), row.names = FALSE)
write.csv(do.call(rbind, fc_rows), file.path(out, "r_forecasts.csv"), row.names = FALSE)

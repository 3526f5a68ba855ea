/**
 * Chart colours, each at least 3:1 against the white panel (WCAG 1.4.11) and in distinct hues:
 * blue 6.7, orange-red 5.2, green 4.4, purple 6.1, ochre 4.9, raspberry 4.6, ink 16.5, teal 4.4.
 */
export const SERIES = ["#0b5cad", "#c2410c", "#2b8a3e", "#7a5195", "#8a6d00", "#d6336c", "#15202b", "#0c8599"];
/** a lighter blue for a second stacked series (3.4:1), always drawn with a white edge between the stacks */
export const SERIES_LIGHT_BLUE = "#4a8fd4";
/** the P10–P90 band: a pale fill outlined by a 4.3:1 edge so the band's extent is visible */
export const BAND_FILL = "#cfe2f7";
export const BAND_EDGE = "#3d7cc0";
/** a neutral series (benchmarks): 5.8:1 */
export const NEUTRAL = "#5b6775";

/** Legend text in the page's ink (recharts colours it like its series, which fails 4.5:1 for light series). */
export const legendText = (value: unknown) => <span style={{ color: "var(--ink)" }}>{String(value)}</span>;

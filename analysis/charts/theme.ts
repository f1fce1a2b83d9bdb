/**
 * How a chart looks, separate from what it shows: the dashboard draws with SCREEN_THEME, the
 * paper figures with PAPER_THEME, and every chart function takes one as an argument (no global
 * style, no stylesheet: each SVG carries its fonts and colours as attributes, so a figure file
 * renders the same in a browser, in Chromium's PDF printer and in an SVG viewer).
 */

export interface ChartSize {
  /** Width and height in the theme's unit (`sizeUnit`). */
  width: number;
  height: number;
}

export interface ChartTheme {
  /** A CSS font-family list; only locally installed fonts, nothing loaded from the network. */
  fontFamily: string;
  /** Tick labels, legend entries and cell labels. */
  fontSize: number;
  /** Axis titles. */
  titleFontSize: number;
  /** Categorical colours, series i takes palette[i % length]. */
  palette: readonly string[];
  /** Dash patterns per series (index as palette), so lines stay apart in greyscale print; '' = solid. */
  dashes: readonly string[];
  /** Colour stops of the sequential scale (heatmaps), low to high. */
  sequential: readonly string[];
  lineWidth: number;
  pointRadius: number;
  textColor: string;
  axisColor: string;
  gridColor: string;
  /** Fill of a heatmap cell without a value. */
  missingColor: string;
  /** Fill behind the chart; 'none' leaves it transparent. */
  background: string;
  /** Unit of ChartSize and of the SVG's width/height attributes (the viewBox is in the same unit). */
  sizeUnit: 'px' | 'pt';
  /** Average glyph advance as a fraction of the font size: the text-width estimate for layout (no layout engine under linkedom). */
  charWidth: number;
}

/**
 * Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008), ordered for white
 * paper: black first, yellow (weak on white) last.
 */
export const OKABE_ITO = ['#000000', '#E69F00', '#56B4E9', '#009E73', '#0072B2', '#D55E00', '#CC79A7', '#F0E442'] as const;

/** Viridis stops (perceptually uniform, colour-blind-safe, monotone in lightness so it survives greyscale). */
export const VIRIDIS_STOPS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'] as const;

export const SCREEN_THEME: ChartTheme = {
  fontFamily: 'system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", Arial, sans-serif',
  fontSize: 12,
  titleFontSize: 12,
  palette: OKABE_ITO,
  dashes: [''],
  sequential: VIRIDIS_STOPS,
  lineWidth: 1.5,
  pointRadius: 3,
  textColor: '#222222',
  axisColor: '#444444',
  gridColor: '#e4e4e4',
  missingColor: '#f0f0f0',
  background: 'none',
  sizeUnit: 'px',
  charWidth: 0.58,
};

/**
 * A two-column paper: a column is 3.5 in (252 pt) wide, a page 7 in (516 pt with the gutter);
 * 8 pt Times-compatible serif (Liberation Serif is metric-compatible with Times New Roman),
 * hairline-free strokes that survive printing, Okabe-Ito colours with dashes for greyscale.
 */
export const PAPER_THEME: ChartTheme = {
  fontFamily: '"Times New Roman", Times, "Liberation Serif", "DejaVu Serif", serif',
  fontSize: 8,
  titleFontSize: 8,
  palette: OKABE_ITO,
  dashes: ['', '4,2', '1.5,1.5', '6,2,1.5,2', '8,3', '3,3', '1,3', '6,1.5,1.5,1.5,1.5,1.5'],
  sequential: VIRIDIS_STOPS,
  lineWidth: 1,
  pointRadius: 1.8,
  textColor: '#000000',
  axisColor: '#000000',
  gridColor: '#dddddd',
  missingColor: '#eeeeee',
  background: '#ffffff',
  sizeUnit: 'pt',
  charWidth: 0.5,
};

/**
 * Figure sizes of a two-column paper, in points: multiples of 1/300 in (0.24 pt), the grid
 * Chromium's PDF printer rounds page sizes to, so the PDF page is the SVG's size exactly.
 */
export const PAPER_SIZES = {
  column: { width: 252, height: 162 },
  page: { width: 516, height: 198 },
} as const satisfies Record<string, ChartSize>;

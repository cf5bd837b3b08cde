/**
 * chart.js with only what the graphs use (line charts on a time axis, the
 * Filler for envelope bands) and date-fns as its date adapter, registered
 * once.
 */
import { CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, TimeScale, Tooltip } from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, CategoryScale, Tooltip, Legend, Filler);

export { Chart };

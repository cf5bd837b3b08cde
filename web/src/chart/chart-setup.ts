/**
 * chart.js with only what the graphs use (line charts on a time axis; the
 * envelope bands are drawn by envelope-plugin.ts, not the Filler) and
 * date-fns as its date adapter, registered once.
 */
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, TimeScale, Tooltip } from 'chart.js';
import 'chartjs-adapter-date-fns';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, CategoryScale, Tooltip, Legend);

export { Chart };

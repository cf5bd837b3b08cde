/** Computed series: aggregations over a pattern, evaluated every step and stored as series of their own (docs/computed.md). */
export { computedSection, MAX_COMPUTED_SERIES, type ComputedSetting, type ComputedSettings } from './config-section.js';
export { aggregate, COMPUTED_OPS, isKnown, type ComputedOp, type MemberValue } from './aggregate.js';
export { parseCondition, type Condition } from './condition.js';
export { ComputedSeries, configHeartbeat, type ComputedLogger, type ComputedSeriesOptions } from './computed-series.js';
export { startComputed, type RunningComputed, type StartComputedOptions } from './start-computed.js';

/**
 * Units of series' values: declared by senders, set by the `units` config
 * section, kept in the database, and turned into the unit of the stored
 * values (a rate kind's `B` → `B/s`). The rest of the server holds a
 * UnitLookup or a UnitOffer; start-up opens SeriesUnits.
 */
export { unitsSection, MAX_UNIT_RULES, type UnitRules } from './config-section.js';
export { FLUSH_DELAY_MS, SeriesUnits, type SeriesUnitsOptions, type UnitLookup, type UnitOffer, type UnitsLogger } from './series-units.js';
export { storedUnit, storesRate } from './stored-unit.js';

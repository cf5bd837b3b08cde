/** Schema pieces the route groups share. */
import { Type } from 'typebox';
import { formatInstant } from '../downtimes/index.js';

/** `T` or null in an answer. */
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T, description: string) => Type.Union([Type.Null(), t], { description });

/** Times in answers. */
export const TimeOut = Type.String({ description: 'ISO 8601 in UTC' });

/** A Unix time (fractional seconds) as TimeOut shows it: whole seconds. */
export const timeOut = (t: number): string => formatInstant(Math.floor(t));

/** Unit conversion to millivolts. Private. */

/** Multiplier from a physical unit to millivolts, or `null` if the unit is not a voltage we convert. */
export function unitToMillivolts(units: string): number | null {
  switch (units) {
    case 'mV':
    case 'mv':
      return 1;
    case 'uV':
    case 'uv':
    case 'µV':
    case 'μV':
      return 1e-3;
    case 'nV':
      return 1e-6;
    case 'V':
      return 1e3;
    default:
      return null;
  }
}


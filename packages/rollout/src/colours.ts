/**
 * The two sides of a blue/green topology and the weights the production listener gives them.
 * Which colour is live is never stored anywhere: it is whatever the weights say.
 */
export type Colour = 'blue' | 'green';

/** Forward weights of the production listener (or rule), in percent; they add up to 100. */
export interface Weights {
  readonly blue: number;
  readonly green: number;
}

export function otherColour(colour: Colour): Colour {
  return colour === 'blue' ? 'green' : 'blue';
}

/** The weights that send `canaryPercent` of traffic to `canary` and the rest to the other colour. */
export function weightsFor(canary: Colour, canaryPercent: number): Weights {
  const stablePercent = 100 - canaryPercent;
  return canary === 'blue' ? { blue: canaryPercent, green: stablePercent } : { blue: stablePercent, green: canaryPercent };
}

export function sameWeights(a: Weights, b: Weights): boolean {
  return a.blue === b.blue && a.green === b.green;
}

export function describeWeights(weights: Weights): string {
  return `blue=${weights.blue} green=${weights.green}`;
}

/** The colour taking all traffic, when the weights are a clean 100/0; undefined while traffic is split. */
export function liveColourOf(weights: Weights): Colour | undefined {
  if (weights.blue === 100 && weights.green === 0) return 'blue';
  if (weights.green === 100 && weights.blue === 0) return 'green';
  return undefined;
}

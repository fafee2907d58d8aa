import { invalid } from '../errors.js';

const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Validates a requested name and returns it in Docker's stored form (`/name`). */
export function canonicalName(name: string): string {
  if (!NAME_RE.test(name))
    throw invalid(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return name.startsWith('/') ? name : `/${name}`;
}

const ADJECTIVES = [
  'admiring',
  'agitated',
  'amazing',
  'angry',
  'awesome',
  'bold',
  'brave',
  'busy',
  'calm',
  'charming',
  'clever',
  'cool',
  'dazzling',
  'eager',
  'ecstatic',
  'elegant',
  'epic',
  'fervent',
  'focused',
  'friendly',
  'gallant',
  'gracious',
  'happy',
  'hopeful',
  'jolly',
  'keen',
  'kind',
  'laughing',
  'lucid',
  'modest',
  'nice',
  'nifty',
  'optimistic',
  'peaceful',
  'quirky',
  'relaxed',
  'serene',
  'sharp',
  'stoic',
  'sweet',
  'tender',
  'trusting',
  'upbeat',
  'vibrant',
  'wizardly',
  'youthful',
  'zealous',
  'zen',
];
const NAMES = [
  'albattani',
  'archimedes',
  'babbage',
  'bardeen',
  'bell',
  'bohr',
  'cerf',
  'curie',
  'darwin',
  'dijkstra',
  'einstein',
  'euclid',
  'euler',
  'faraday',
  'fermi',
  'feynman',
  'galileo',
  'gauss',
  'hamilton',
  'hopper',
  'hypatia',
  'kepler',
  'knuth',
  'lamport',
  'lovelace',
  'maxwell',
  'meitner',
  'newton',
  'noether',
  'pascal',
  'planck',
  'ritchie',
  'shannon',
  'thompson',
  'torvalds',
  'turing',
  'volhard',
  'wozniak',
  'yonath',
  'zhukovsky',
];

/**
 * An unused `adjective_scientist` name as Docker generates them; `random` returns [0,1) and is
 * injected so tests are deterministic. Falls back to a numeric suffix when the space is crowded.
 */
export function generateName(taken: (name: string) => boolean, random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)] ?? list[0];
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = `/${pick(ADJECTIVES)}_${pick(NAMES)}`;
    const name = attempt < 10 ? base : `${base}${Math.floor(random() * 10)}`;
    if (!taken(name)) return name;
  }
  let n = 0;
  while (taken(`/${ADJECTIVES[0]}_${NAMES[0]}${n}`)) n++;
  return `/${ADJECTIVES[0]}_${NAMES[0]}${n}`;
}

import { randomBytes } from 'node:crypto';
import { LocalDataKeys, SecretSealer } from '@tandem/store';

/** The benches' sealer of stored secrets: a master key of this run, as `npm start` keeps one in its data folder. */
export const benchSealer = new SecretSealer(new LocalDataKeys(randomBytes(32)));

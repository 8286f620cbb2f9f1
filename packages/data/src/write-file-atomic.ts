// Lives in @fmnist/core (the tuner and the CLI use it without the data package).
export { writeFileAtomic } from '@fmnist/core';

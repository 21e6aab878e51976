import { semanticHash } from 'mpl-sdk';

semanticHash({ status: 'alive' }).then(console.log);

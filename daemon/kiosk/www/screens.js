// screens.js: the table of screens. Each returns the nodes of <main>.
import { login } from './screens/login.js';
import { home } from './screens/home.js';
import { find } from './screens/find.js';
import { resident } from './screens/resident.js';
import { checklist } from './screens/checklist.js';
import { referral } from './screens/referral.js';
import { queue } from './screens/queue.js';
import { sop } from './screens/sop.js';

export const screens = { login, home, find, resident, checklist, referral, queue, sop };

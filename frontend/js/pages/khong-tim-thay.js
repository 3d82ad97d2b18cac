// The page of an address that does not exist (served with status 404): the portal's header, and
// the address as typed, so that a mistyped one can be spotted.

import { h, fill, portalFrame } from '../ui.js';

portalFrame(null);
const typed = document.getElementById('typed');
if (typed) fill(typed, 'Địa chỉ đã mở: ', h('code', null, decodeURI(location.pathname)));

// The XDP hook: struct xdp_md over a frame, the actions, and the test-run input rules.
export { XdpFrame, XDP_MD, XDP_MD_SIZE, XDP_ACTION, XDP_ACTION_NAME, XDP_FRAME_SIZE, XDP_META_MAX, ETH_HLEN } from './context.js';
export { checkXdpInput, type XdpInput } from './test-run.js';

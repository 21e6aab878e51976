// A Node user who passes the `ws` package's class to a Session, as its option's docs show:
// it compiles as it is, with the types of `ws` (@types/ws), no cast.
import WebSocket from 'ws';
import { Session, type WebSocketConstructor } from 'mpl-sdk';

export const session = new Session({ endpoint: 'ws://127.0.0.1:8080/ws', stypes: ['org.calendar.Event.v1'], WebSocket });
export const ctor: WebSocketConstructor = WebSocket;
// @ts-expect-error an instance of it is not the class
export const wrong = new Session({ endpoint: 'ws://127.0.0.1:8080/ws', WebSocket: new WebSocket('ws://127.0.0.1:8080/ws') });

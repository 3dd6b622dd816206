import { connect } from '/ws/switchboard.js';          // served by the starter

const chat = connect('/ws/chat');                       // and reconnects with backoff
const said = await chat.request({ type: 'say', text: 'hi' });
console.log(said);                                      // {from: '…', text: 'hi', id: 1}

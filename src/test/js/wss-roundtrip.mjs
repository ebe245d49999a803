// Used by WebSocketMqttJsIT: a subscriber and a publisher, each with its own client certificate,
// meet over MQTT over secure WebSockets. Prints one JSON line with what the subscriber received.
// Usage: node wss-roundtrip.mjs <url> <ca.pem> <sub.crt> <sub.key> <pub.crt> <pub.key> <topic> <protocolVersion>
import fs from 'node:fs';
import mqtt from 'mqtt';

const [url, caFile, subCert, subKey, pubCert, pubKey, topic, version] = process.argv.slice(2);
const protocolVersion = Number(version || 5);
const ca = fs.readFileSync(caFile);

function connect(certFile, keyFile, clientId) {
  return mqtt.connect(url, {
    ca,
    cert: fs.readFileSync(certFile),
    key: fs.readFileSync(keyFile),
    clientId,
    protocolVersion,
    reconnectPeriod: 0,
    connectTimeout: 10000,
    wsOptions: { ca, cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) },
  });
}

const timer = setTimeout(() => {
  console.log(JSON.stringify({ ok: false, error: 'timed out' }));
  process.exit(2);
}, 20000);

// Set once the result line is printed: the broker closes the WebSocket right after a client's
// DISCONNECT, so a client's late Close-frame reply can fail with EPIPE; that says nothing about the test.
let done = false;

function fail(error) {
  if (done) return;
  clearTimeout(timer);
  console.log(JSON.stringify({ ok: false, error: String(error && error.message || error) }));
  process.exit(1);
}

const subscriber = connect(subCert, subKey, 'js-sub-' + process.pid);
subscriber.on('error', fail);
subscriber.on('connect', () => {
  subscriber.subscribe(topic, { qos: 1 }, (err, granted) => {
    if (err) return fail(err);
    // A refused filter is not an error to MQTT.js: it comes back as a granted QoS of 128 or more.
    if (!granted || granted.length !== 1 || granted[0].qos > 2) {
      return fail('subscription refused: ' + JSON.stringify(granted));
    }
    const publisher = connect(pubCert, pubKey, 'js-pub-' + process.pid);
    let published = false;
    // After its PUBACK the publisher disconnects; a late EPIPE on its closing socket is not a failure.
    publisher.on('error', (error) => { if (!published) fail(error); });
    publisher.on('connect', () => {
      publisher.publish(topic, 'hello over wss', { qos: 1 }, (pubErr) => {
        if (pubErr) return fail(pubErr);
        published = true;
        publisher.end();
      });
    });
  });
});
subscriber.on('message', (receivedTopic, payload, packet) => {
  clearTimeout(timer);
  console.log(JSON.stringify({ ok: true, version: protocolVersion, topic: receivedTopic,
    payload: payload.toString(), qos: packet.qos }));
  done = true;
  subscriber.end(false, () => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});

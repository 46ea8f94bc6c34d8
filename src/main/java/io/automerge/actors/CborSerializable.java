package io.automerge.actors;

/**
 * Marker for every message, event and snapshot that crosses a process boundary or lands in the
 * journal: bound to Pekko's jackson-cbor serializer in conf/application.conf.
 */
public interface CborSerializable {}

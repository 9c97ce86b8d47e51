package dev.finitomata.internal;

/** INTERNAL API. Marker of Finitomata's messages, events and state: bound to Pekko's Jackson serializer (CBOR). */
public interface FsmSerializable {
}

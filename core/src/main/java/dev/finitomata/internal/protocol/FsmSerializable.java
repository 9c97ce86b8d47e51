package dev.finitomata.internal.protocol;

/** INTERNAL API. Marker of Finitomata's messages, events and state: bound to Pekko's Jackson serializer (CBOR). */
public interface FsmSerializable {
}

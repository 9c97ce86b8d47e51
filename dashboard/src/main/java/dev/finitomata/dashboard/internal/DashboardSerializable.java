package dev.finitomata.dashboard.internal;

/** INTERNAL API. What dashboards send each other across a cluster: serialized by Jackson (CBOR), see reference.conf. */
public interface DashboardSerializable {
}

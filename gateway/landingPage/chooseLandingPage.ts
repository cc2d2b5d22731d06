import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { explorerPath } from '../explorer/createExplorerRoute.js';
import { createLandingPagePlugin } from './createLandingPagePlugin.js';

/**
 * The Sandbox where `landingPage` is on, opened on an example operation that says where a token
 * goes (`document`, asked once the supergraph is loaded); nothing (not even Apollo's default page) elsewhere.
 */
export function chooseLandingPage(config: Pick<GatewayConfig, 'landingPage' | 'explorer'>, document: () => string): ApolloServerPlugin {
  return config.landingPage
    ? createLandingPagePlugin({ document, explorerPath: config.explorer ? explorerPath : undefined })
    : ApolloServerPluginLandingPageDisabled();
}

import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayConfig } from '../config/GatewayConfig.js';
import { explorerPath } from '../explorer/createExplorerRoute.js';
import { createLandingPagePlugin } from './createLandingPagePlugin.js';
import { exampleOperation } from './exampleOperation.js';

/**
 * The Sandbox where `landingPage` is on, opened on an example operation that says where a token
 * goes; nothing (not even Apollo's default page) elsewhere.
 */
export function chooseLandingPage(config: Pick<GatewayConfig, 'landingPage' | 'explorer'>, supergraphSdl: string): ApolloServerPlugin {
  return config.landingPage
    ? createLandingPagePlugin({ document: exampleOperation(supergraphSdl), explorerPath: config.explorer ? explorerPath : undefined })
    : ApolloServerPluginLandingPageDisabled();
}

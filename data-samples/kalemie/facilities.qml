<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.0" styleCategories="Symbology">
  <renderer-v2 type="categorizedSymbol" attr="type" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="station" symbol="0" label="police station" render="true"/>
      <category value="post" symbol="1" label="container post" render="true"/>
      <category value="lamp" symbol="2" label="street lamp" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="color" v="31,70,160,255"/>
          <prop k="name" v="circle"/>
          <prop k="outline_color" v="50,50,50,255"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="size" v="2.400000"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="color" v="90,160,230,255"/>
          <prop k="name" v="circle"/>
          <prop k="outline_color" v="50,50,50,255"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="size" v="2.400000"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="color" v="255,210,0,255"/>
          <prop k="name" v="circle"/>
          <prop k="outline_color" v="50,50,50,255"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="size" v="2.400000"/>
          <prop k="size_unit" v="MM"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerGeometryType>0</layerGeometryType>
</qgis>
